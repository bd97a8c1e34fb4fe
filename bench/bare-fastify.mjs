// The peer of the serving benchmark: a bare Fastify endpoint that parses the same JSON body and returns a constant.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/v1/models/adult/predict', async (req) => {
  if (!req.body || typeof req.body !== 'object') throw new Error('no body');
  return {
    model: 'adult',
    version: 1,
    predictions: [{ label: '<=50K', probabilities: { '<=50K': 0.9, '>50K': 0.1 } }],
  };
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
