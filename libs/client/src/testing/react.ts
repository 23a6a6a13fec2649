/**
 * For hook specs over real sockets: their state changes come from the network, outside any
 * act(), and waitFor observes the results. Testing Library turns the act environment on for every
 * test (React would warn on each such change); call this in beforeEach to turn it off.
 */
export function outsideAct(): void {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
}
