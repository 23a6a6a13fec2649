import { DiscoveryService } from '@nestjs/core';

/**
 * Marks an `@Injectable()` {@link ChatPolicy} class so that the core finds it (Nest's
 * DiscoveryService): list the class in any module's providers and it runs for every action.
 */
export const ChatPolicyProvider = DiscoveryService.createDecorator<void>();
