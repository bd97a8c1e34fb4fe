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

streamContract('Redis Streams', {
  redelivers: true,
  async fresh() {
    const redis = new Redis('redis://127.0.0.1:6379');
    const key = `keel-contract-${unique()}`;
    return {
      make: (consumer) =>
        redisStreamSource({ url: 'redis://127.0.0.1:6379', stream: key, group: 'g', consumer }),
      async publish(from, n, broken = []) {
        const p = redis.pipeline();
        for (let i = from; i < from + n; i++) p.xadd(key, '*', 'data', record(i));
        for (const b of broken) p.xadd(key, '*', 'data', b);
        await p.exec();
      },
      async cleanup() {
        await redis.del(key);
        redis.disconnect();
      },
    };
  },
});

streamContract('NATS JetStream', {
  redelivers: true,
  async fresh() {
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    const stream = `KEEL_CONTRACT_${unique()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    const js = jetstream(nc);
    return {
      make: (durable) => natsSource({ servers: 'nats://127.0.0.1:4222', stream, durable, ackWaitMs: 1000 }),
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
  async fresh() {
    const topic = `keel/contract/${unique()}`;
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    return {
      make: (consumer) =>
        mqttSource({
          url: 'mqtt://127.0.0.1:1883',
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
