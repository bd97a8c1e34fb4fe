// MQTT (e.g. Mosquitto) with QoS 1 and a persistent session. The MQTT client acknowledges each message in order as
// it arrives (it cannot hold an acknowledgement without stalling the connection), so this source is at-most-once
// across a crash of the consumer itself; broker restarts and disconnects lose nothing thanks to the session.

import type { MqttClient } from 'mqtt';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { Schema } from '../../schema.ts';
import {
  ArrivalQueue,
  makeStreamSource,
  type StreamMessage,
  type StreamSource,
  type StreamTransport,
} from '../stream.ts';

export interface MqttSourceOptions {
  /** e.g. "mqtt://127.0.0.1:1883"; credentials in it are never described */
  url: string;
  topic: string;
  /** a stable client id: the broker keeps its session (and queued messages) across reconnects */
  clientId: string;
  /** the JSON field used as the message id (default "id"); without one, ids are topic + arrival number */
  idField?: string;
  schema?: Schema;
}

export function mqttSource(o: MqttSourceOptions): StreamSource {
  const idField = o.idField ?? 'id';
  const location = `${o.url.replace(/\/\/[^@/]*@/, '//***@')} topic ${o.topic}`;
  return makeStreamSource(
    'mqtt',
    location,
    async (): Promise<StreamTransport> => {
      let client: MqttClient;
      try {
        const { default: mqtt } = await import('mqtt');
        client = await mqtt.connectAsync(o.url, { clientId: o.clientId, clean: false, reconnectPeriod: 500 });
        await client.subscribeAsync(o.topic, { qos: 1 });
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot subscribe over MQTT: ${(err as Error).message}`,
        );
      }
      const queue = new ArrivalQueue<StreamMessage>();
      let arrivals = 0;
      client.on('message', (topic, payload) => {
        arrivals++;
        let id = `${topic}#${arrivals}`;
        try {
          const v = JSON.parse(payload.toString('utf8'));
          if (v && typeof v === 'object' && v[idField] !== undefined) id = String(v[idField]);
        } catch {
          // broken JSON keeps the arrival id; the shared decoder quarantines it
        }
        queue.push({ id, data: payload });
      });
      return {
        pull: (max, waitMs) => queue.take(max, waitMs),
        async ack() {
          // acknowledged on arrival by the client (see the header)
        },
        position: () => ({ topic: o.topic, clientId: o.clientId, received: arrivals }),
        async close() {
          await client.endAsync();
        },
      };
    },
    o.schema,
  );
}
