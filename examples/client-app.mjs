// An application's back end talking to a running `idv serve` through the typed client.
//   IDV_URL=http://127.0.0.1:4242 IDV_API_TOKEN=... node client-app.mjs user_42
import { createIdvClient, IdvApiError } from 'idv-outcomes/client';

const idv = createIdvClient({
  baseUrl: process.env.IDV_URL ?? 'http://127.0.0.1:4242',
  apiToken: process.env.IDV_API_TOKEN,
});
const ref = process.argv[2] ?? 'user_42';

try {
  const session = await idv.subjects.openSession(ref, { email: `${ref}@example.com` });
  console.log(`session ${session.session_id} for ${ref}: send the user to ${session.url}`);
} catch (err) {
  // Branch on the stable code, never on the message.
  if (err instanceof IdvApiError && err.code === 'already_verified')
    console.log(`${ref} is already verified`);
  else throw err;
}

const subject = await idv.subjects.get(ref);
console.log(`${ref} is ${subject.state}, ${subject.attempts.left} attempt(s) left`);
