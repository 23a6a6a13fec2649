import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { SearchQuerySchema, type SearchQuery, type SearchResults, type User } from '@chat/contracts';
import { RequiresScope } from '../api-keys/api-key-scope.decorator.js';
import { HttpIdentityGuard } from '../auth/http-identity.guard.js';
import { RequestUser } from '../auth/request-user.decorator.js';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe.js';
import { HttpReadQuotaGuard } from '../quotas/http-read-quota.guard.js';
import { HttpSearchQuotaGuard } from '../quotas/http-search-quota.guard.js';
import { SearchService } from './search.service.js';

@Controller('api/search')
@UseGuards(HttpIdentityGuard)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  /** Messages of the rooms the caller may read that match `q`, best first; see docs/protocol.md. */
  @Get()
  @RequiresScope('messages:read')
  @UseGuards(HttpReadQuotaGuard, HttpSearchQuotaGuard)
  find(
    @Query(new ZodValidationPipe(SearchQuerySchema)) query: SearchQuery,
    @RequestUser() user: User,
  ): Promise<SearchResults> {
    return this.search.search(user, query);
  }
}
