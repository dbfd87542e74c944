/**
 * The seed's sample, as Stripe's "Handle verification outcomes" guide writes it (seed
 * handle-verification-outcomes.md, "Create a webhook and handle VerificationSession events"): Express,
 * a raw body parser on /webhook, stripe.webhooks.constructEvent, a switch on the type, res.json. It stores
 * nothing. Changes from the guide, none of which touches the request path: ESM imports instead of require,
 * express.raw (Express 5 re-exports body-parser's raw) instead of require('body-parser').raw, the key, secret and
 * port from the environment, and listening on 127.0.0.1 only.
 */
import express from 'express';
import Stripe from 'stripe';

// <<setup key>>
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? 'sk_test_bench');

// You can find your endpoint's secret in your webhook settings
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_...';

const app = express();

// Use JSON parser for all non-webhook routes
app.use((req, res, next) => {
  if (req.originalUrl === '/webhook') {
    next();
  } else {
    express.json()(req, res, next);
  }
});

app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  let event;

  // Verify the event came from Stripe
  try {
    const sig = req.headers['stripe-signature'];
    event = stripe.webhooks.constructEvent(req.body, sig, endpointSecret);
  } catch (err) {
    // On error, log and return the error message
    console.log(`❌ Error message: ${err.message}`);
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  // Successfully constructed event
  switch (event.type) {
    case 'identity.verification_session.verified': {
      // All the verification checks passed
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const verificationSession = event.data.object;
      break;
    }
    case 'identity.verification_session.requires_input': {
      // At least one of the verification checks failed
      const verificationSession = event.data.object;

      console.log('Verification check failed: ' + verificationSession.last_error.reason);

      // Handle specific failure reasons
      switch (verificationSession.last_error.code) {
        case 'document_unverified_other': {
          // The document was invalid
          break;
        }
        case 'document_expired': {
          // The document was expired
          break;
        }
        case 'document_type_not_supported': {
          // document type not supported
          break;
        }
        default: {
          // ...
        }
      }
    }
  }

  res.json({ received: true });
});

const port = Number(process.env.PORT ?? 4242);
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`Running on port ${port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
