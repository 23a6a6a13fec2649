import { configure } from '@testing-library/react';

// waitFor gives up after 1 s by default. On a CI machine under load (2 cores, load 10+) a real
// close handshake and reconnect over loopback took longer than that, and useWebSocket.spec
// failed now and then; Jest's testTimeout still bounds a wait that never ends.
configure({ asyncUtilTimeout: 10_000 });
