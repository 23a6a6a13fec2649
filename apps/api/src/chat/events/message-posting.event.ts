// The event moved to the core (core/events/); this path stays for modules written against it.
export { MessagePostingEvent } from '../../core/events/message-posting.event.js';
