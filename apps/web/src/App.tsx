import { ChatView } from './components/ChatView.js';
import { SignIn } from './components/SignIn.js';
import { useSession } from './session/useSession.js';

export function App() {
  const { session, signedIn, signOut } = useSession();
  if (session.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (session.status === 'signed-out') return <SignIn onSignedIn={signedIn} reason={session.reason} />;
  // A new key per user: nothing of one user's chat state survives into another's.
  return <ChatView key={session.user.id} user={session.user} onSignOut={signOut} />;
}
