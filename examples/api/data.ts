// keel/data: read a file with exact quarantine (every rejected row has its line and reason) and profile it.
import { profileFrame, readCsv } from 'keel/data';

const read = await readCsv('examples/orders/orders.csv');
const { read: total, accepted, quarantined } = read.counts;
if (total !== accepted + quarantined) throw new Error('counts reconcile');
console.log(`read ${total} = accepted ${accepted} + quarantined ${quarantined}`);
for (const q of read.quarantine) console.log(`  line ${q.line}: ${q.code} (${q.reason})`);
const profile = profileFrame(read.frame);
console.log(profile.columns.map((c) => `${c.name}:${c.type}`).join(' '));
