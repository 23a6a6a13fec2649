import type { User } from '@chat/contracts';

/**
 * What a posting hook gets before a message is stored: the extension point for modules that react
 * to what users write. Hooks may rewrite the text, answer the sender privately, or swallow the
 * message so that it is never stored (a command). Hook in with a method marked
 * `@OnMessagePosting()` (core/hooks/); a hook that throws refuses the message. See docs/extending.md.
 */
export class MessagePostingEvent {
  private readonly answers: string[] = [];
  private swallowedBy: string | null = null;

  constructor(
    readonly room: string,
    readonly user: User,
    private currentText: string,
    /** The sender's id for this message (a fresh one for simple-protocol clients). */
    readonly clientId: string,
    private readonly renamer: (name: string) => void,
    /**
     * On an edit: the id of the message whose text this replaces. Hooks run on edits too (a
     * rewrite or a refusal applies to the new text); commands do not (see SlashCommandsListener).
     */
    readonly editOf?: string,
  ) {}

  get text(): string {
    return this.currentText;
  }

  /** Stores this text instead of what the user wrote. */
  rewrite(text: string): void {
    this.currentText = text;
  }

  /** Tells the sender something, privately (a `notice`); nobody else sees it. */
  reply(text: string): void {
    this.answers.push(text);
  }

  /** Keeps the message from being stored or shown; `by` names the module, for logs and tests. */
  swallow(by: string): void {
    this.swallowedBy = by;
  }

  /**
   * Renames the sender on this connection (guests only: throws ForbiddenError for accounts, and
   * BadRequestError for a message that came from no connection, such as a module's post).
   */
  renameSender(name: string): void {
    this.renamer(name);
  }

  get replies(): readonly string[] {
    return this.answers;
  }

  get swallowed(): boolean {
    return this.swallowedBy !== null;
  }
}
