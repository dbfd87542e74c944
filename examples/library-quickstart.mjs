// Library mode in a new project (`npm init -y && npm install idv-outcomes`), ES modules:
//   STRIPE_WEBHOOK_SECRET=whsec_... node library-quickstart.mjs
import { createServer } from 'node:http';
import { createIdvOutcomes } from 'idv-outcomes';

const idv = await createIdvOutcomes({
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET, // or an array during a rotation
  database: process.env.IDV_DATABASE_URL ?? 'sqlite:./data/idv.db', // or postgres://…
  handlers: {
    // Each handler runs at least once per outcome: skip an idempotencyKey you have already handled.
    onVerified: async (e) => {
      const user = await idv.getSubject(e.subject.ref); // the answer of GET /v1/subjects/:ref
      console.log(`verified ${user.ref} (state ${user.state}, key ${e.idempotencyKey})`);
    },
    onRetryRequired: async (e) => console.log(`retry ${e.subject.ref}: ${e.last_error?.reason}`),
    // onNeedsReview, onRejected, onCanceled, onRedacted
  },
});

// POST /webhook (in Express: app.use(idv.expressRouter()) before express.json()).
const webhook = idv.expressRouter();
const server = createServer((req, res) =>
  webhook(req, res, () => {
    res.statusCode = 404;
    res.end();
  }),
);
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`listening on http://127.0.0.1:${server.address().port}/webhook`),
);
idv.start(); // the worker and the dispatcher, in this process

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => idv.whenIdle().finally(() => idv.close())));
}
