import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ForbiddenError, UnavailableError } from '../../common/errors/chat-errors.js';
import { AppConfigService } from '../../config/app-config.service.js';
import type { ChatAction, ChatPolicy, PolicyVerdict } from './chat-policy.js';
import { ChatPolicyProvider } from './chat-policy.decorator.js';

/** What the client reads when a policy failed: the action may well succeed a moment later. */
export const POLICY_FAILED_MESSAGE = 'a server policy failed; try again';

interface NamedPolicy {
  name: string;
  policy: ChatPolicy;
}

/**
 * Every discovered {@link ChatPolicy}, asked together about one action. Fails closed: a policy
 * that throws or is late refuses the action, because letting it through would be the policy
 * being silently off (a crashing word filter must not become no filter).
 */
@Injectable()
export class ChatPolicies implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChatPolicies.name);
  private policies: NamedPolicy[] = [];
  private readonly timeoutMs: number;

  constructor(
    private readonly discovery: DiscoveryService,
    config: AppConfigService,
  ) {
    this.timeoutMs = config.get('POLICY_TIMEOUT_MS');
  }

  onApplicationBootstrap(): void {
    this.policies = this.discovery
      .getProviders({ metadataKey: ChatPolicyProvider.KEY })
      .filter((wrapper) => wrapper.isDependencyTreeStatic() && wrapper.instance)
      .map((wrapper) => ({ name: wrapper.name, policy: wrapper.instance as ChatPolicy }));
  }

  /** Whether any module registered a policy (callers may skip the asking altogether). */
  get any(): boolean {
    return this.policies.length > 0;
  }

  /** Resolves when every policy allows; throws ForbiddenError (a denial) or UnavailableError (a failure). */
  async enforce(action: ChatAction): Promise<void> {
    if (this.policies.length === 0) return;
    const verdicts = await Promise.all(this.policies.map((named) => this.ask(named, action)));
    // In registration order, so which reason a client reads does not depend on timing.
    for (const verdict of verdicts) {
      if (verdict === 'failed') throw new UnavailableError(POLICY_FAILED_MESSAGE);
      if (!verdict.allow) throw new ForbiddenError(verdict.reason);
    }
  }

  private async ask({ name, policy }: NamedPolicy, action: ChatAction): Promise<PolicyVerdict | 'failed'> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.timeoutMs);
      timer.unref();
    });
    try {
      const verdict = await Promise.race([Promise.resolve().then(() => policy.check(action)), late]);
      if (verdict === 'late') {
        this.logger.error(
          `policy ${name} did not answer a ${action.kind} within ${this.timeoutMs} ms: refused`,
        );
        return 'failed';
      }
      if (!isVerdict(verdict)) {
        this.logger.error(
          `policy ${name} answered a ${action.kind} with no verdict (use allow() or deny()): refused`,
        );
        return 'failed';
      }
      return verdict;
    } catch (error) {
      this.logger.error({ msg: `policy ${name} threw on a ${action.kind}: refused`, err: error });
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}

function isVerdict(value: unknown): value is PolicyVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const { allow, reason } = value as { allow?: unknown; reason?: unknown };
  return allow === true || (allow === false && typeof reason === 'string');
}
