// keel/cost: what a piece of work cost in wall and CPU seconds.
import { startMeter } from 'keel/cost';

const meter = startMeter();
let s = 0;
for (let i = 0; i < 5_000_000; i++) s += Math.sqrt(i);
const usage = meter.stop();
console.log(`wall ${usage.wall_seconds.toFixed(3)} s, cpu ${usage.cpu_seconds.toFixed(3)} s`, s > 0);
