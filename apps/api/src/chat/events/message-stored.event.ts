// The event moved to the core (core/events/); this path stays for modules written against it.
export { MessageStoredEvent } from '../../core/events/message-stored.event.js';
