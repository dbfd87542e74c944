/**
 * The ceiling: node:http that reads the whole body and answers 200. No verification, no parsing, no storage;
 * nothing a webhook receiver can do is cheaper, so every other server is reported as a fraction of this one.
 */
import http from 'node:http';

const RECEIVED = Buffer.from('{"received":true}');

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': RECEIVED.length });
    res.end(RECEIVED);
  });
});

server.listen(Number(process.env.PORT ?? 4242), '127.0.0.1', () => {
  console.log(`raw node:http listening on ${process.env.PORT ?? 4242}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
