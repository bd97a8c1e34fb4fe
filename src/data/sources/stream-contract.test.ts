// Every StreamSource kind against the shared stream contract, on the real services: Redis Streams, NATS JetStream and
// MQTT (Mosquitto) on 127.0.0.1.

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { mqttSource } from './mqtt/source.ts';
import { natsSource } from './nats/source.ts';
import { redisStreamSource } from './redis/source.ts';
import { streamContract } from './stream-contract-suite.ts';

let seq = 0;
const unique = () => `${process.pid}_${Date.now().toString(36)}_${++seq}`;
const record = (i: number) => JSON.stringify({ id: i, v: i / 2 });

// every consumer connects with credentials, so each contract's "describes itself without secrets" has one to leak
const REDIS_SECRET = 's3cret-redis-contract';
const NATS_SECRET = 's3cret-nats-contract';
const MQTT_SECRET = 's3cret-mqtt-contract';

streamContract('Redis Streams', {
  redelivers: true,
  secret: REDIS_SECRET,
  async fresh() {
    const redis = new Redis('redis://127.0.0.1:6379');
    // a real ACL user on the local server, removed again by cleanup
    const user = `keel-contract-${unique()}`;
    await redis.call('ACL', 'SETUSER', user, 'on', `>${REDIS_SECRET}`, '~*', '&*', '+@all');
    const key = `keel-contract-${unique()}`;
    return {
      make: (consumer) =>
        redisStreamSource({
          url: `redis://${user}:${REDIS_SECRET}@127.0.0.1:6379`,
          stream: key,
          group: 'g',
          consumer,
        }),
      async publish(from, n, broken = []) {
        const p = redis.pipeline();
        for (let i = from; i < from + n; i++) p.xadd(key, '*', 'data', record(i));
        for (const b of broken) p.xadd(key, '*', 'data', b);
        await p.exec();
      },
      async cleanup() {
        await redis.del(key);
        await redis.call('ACL', 'DELUSER', user);
        redis.disconnect();
      },
    };
  },
});

streamContract('NATS JetStream', {
  redelivers: true,
  secret: NATS_SECRET,
  async fresh() {
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    const stream = `KEEL_CONTRACT_${unique()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    const js = jetstream(nc);
    return {
      // the local server has no accounts and accepts any credentials: the password is there to be hidden
      make: (durable) =>
        natsSource({
          servers: `nats://keel:${NATS_SECRET}@127.0.0.1:4222`,
          stream,
          durable,
          ackWaitMs: 1000,
        }),
      async publish(from, n, broken = []) {
        const acks = [];
        for (let i = from; i < from + n; i++) acks.push(js.publish(`${stream}.rows`, record(i)));
        for (const b of broken) acks.push(js.publish(`${stream}.rows`, b));
        await Promise.all(acks);
      },
      async cleanup() {
        await jsm.streams.delete(stream).catch(() => {});
        await nc.close();
      },
    };
  },
});

streamContract('MQTT (Mosquitto)', {
  redelivers: false,
  secret: MQTT_SECRET,
  async fresh() {
    const topic = `keel/contract/${unique()}`;
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    return {
      make: (consumer) =>
        mqttSource({
          url: `mqtt://keel:${MQTT_SECRET}@127.0.0.1:1883`,
          topic,
          clientId: `keel-contract-${consumer}-${topic.split('/').pop()}`,
        }),
      async publish(from, n, broken = []) {
        for (let i = from; i < from + n; i++) await pub.publishAsync(topic, record(i), { qos: 1 });
        for (const b of broken) await pub.publishAsync(topic, b, { qos: 1 });
      },
      async cleanup() {
        await pub.endAsync();
      },
    };
  },
});
