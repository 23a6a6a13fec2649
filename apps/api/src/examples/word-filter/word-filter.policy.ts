import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../../config/app-config.service.js';
import {
  ChatPolicyProvider,
  allow,
  deny,
  type ChatAction,
  type ChatPolicy,
  type PolicyVerdict,
} from '../../core/index.js';
import { wordMatcher } from './word-matcher.js';

/**
 * Refuses a message (or an edit) that contains one of WORD_FILTER_WORDS (whole words, any case). A policy,
 * not a posting hook, so the sender gets `forbidden` with the reason and nothing is stored; it
 * runs on the instance the sender is connected to, for every door (sockets, HTTP, bots).
 */
@ChatPolicyProvider()
@Injectable()
export class WordFilterPolicy implements ChatPolicy {
  private readonly find: (text: string) => string | undefined;

  constructor(config: AppConfigService) {
    this.find = wordMatcher(config.get('WORD_FILTER_WORDS'));
  }

  check(action: ChatAction): PolicyVerdict {
    // Other kinds (join, delete, react) pass: this filter is about what is written, sent or edited.
    if (action.kind !== 'send' && action.kind !== 'edit') return allow();
    const word = this.find(action.text);
    if (word === undefined) return allow();
    return deny(`your message contains "${word}", which is not allowed here: reword it and send again`);
  }
}
