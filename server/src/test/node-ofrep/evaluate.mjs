// OpenFeature's Node server SDK with its OFREP provider, driven by OfrepNodeIT.
//   node evaluate.mjs answers <request.json>   evaluates every flag for every person; prints one JSON document
//   node evaluate.mjs watch <request.json>     evaluates one flag every 20 ms; prints a line each time its value changes
import { readFileSync } from 'node:fs';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const [mode, file] = process.argv.slice(2);
const request = JSON.parse(readFileSync(file, 'utf8'));
await OpenFeature.setProviderAndWait(new OFREPProvider({
  baseUrl: request.baseUrl,
  headers: [['Authorization', `Bearer ${request.token}`]],
}));
const client = OpenFeature.getClient();
const contextOf = (person) => ({ targetingKey: person.key, country: person.country, plan: person.plan });

const detailsOf = {
  boolean: (flag, context) => client.getBooleanDetails(flag, false, context),
  string: (flag, context) => client.getStringDetails(flag, 'none', context),
  number: (flag, context) => client.getNumberDetails(flag, -1, context),
  object: (flag, context) => client.getObjectDetails(flag, { none: true }, context),
};

if (mode === 'answers') {
  const answers = [];
  for (const person of request.people) {
    for (const [type, flags] of Object.entries(request.flags)) {
      for (const flag of flags) {
        const d = await detailsOf[type](flag, contextOf(person));
        answers.push({ person: person.key, flag, type, value: d.value, variant: d.variant ?? null, reason: d.reason ?? null,
          errorCode: d.errorCode ?? null });
      }
    }
  }
  process.stdout.write(JSON.stringify({ answers }) + '\n');
  await OpenFeature.close();
} else if (mode === 'watch') {
  const { flag, person } = request.watch;
  let last;
  const deadline = Date.now() + request.watch.timeoutMs;
  while (Date.now() < deadline) {
    const details = await client.getBooleanDetails(flag, false, contextOf(person));
    const value = details.value;
    if (value !== last) {
      process.stdout.write(JSON.stringify({ value, errorCode: details.errorCode ?? null, at: Date.now() }) + '\n');
      last = value;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await OpenFeature.close();
} else {
  console.error('usage: node evaluate.mjs answers|watch <request.json>');
  process.exit(2);
}
