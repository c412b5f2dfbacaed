// What the test page runs: OpenFeature's web SDK with the OFREP web provider, exactly as a web
// application would set them up, behind a small surface the test drives through Playwright
// (window.ofrepPage). Bundled by esbuild (npm run build) into target/browser-ofrep/openfeature.js.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { readmeExample } from './readme-example.js';

const changes = [];
const errors = [];

/** One evaluation detail as plain data the test can read. */
function plain(details) {
  return {
    value: details.value === undefined ? null : details.value,
    variant: details.variant ?? null,
    reason: details.reason ?? null,
    errorCode: details.errorCode ?? null,
  };
}

const evaluators = {
  boolean: (client, key, fallback) => client.getBooleanDetails(key, fallback),
  string: (client, key, fallback) => client.getStringDetails(key, fallback),
  number: (client, key, fallback) => client.getNumberDetails(key, fallback),
  object: (client, key, fallback) => client.getObjectDetails(key, fallback),
};

window.ofrepPage = {
  /**
   * Sets the provider up against a Darklaunch server and waits until it is ready (or failed).
   * options: { baseUrl, token, context, pollInterval, changeDetection }
   * Resolves to the provider's status, or 'FAILED: <why>' when its initialisation failed.
   */
  async start(options) {
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (event) => {
      changes.push({ at: Date.now(), flags: event?.flagsChanged ?? [] });
    });
    OpenFeature.addHandler(ProviderEvents.Error, (event) => errors.push(event?.message ?? 'error'));
    const provider = new OFREPWebProvider({
      baseUrl: options.baseUrl,
      headers: [['Authorization', `Bearer ${options.token}`]],
      pollInterval: options.pollInterval ?? 0,
      changeDetection: options.changeDetection ?? 'polling',
    });
    try {
      await OpenFeature.setProviderAndWait(provider, options.context ?? {});
    } catch (e) {
      return 'FAILED: ' + (e?.message ?? String(e));
    }
    return OpenFeature.getClient().providerStatus;
  },

  /** Changes the evaluation context (the provider evaluates the flags again for it). */
  async setContext(context) {
    await OpenFeature.setContext(context);
  },

  /** Evaluates flags: [{key, type: boolean|string|number|object, fallback}] → details per key. */
  evaluate(requests) {
    const client = OpenFeature.getClient();
    const result = {};
    for (const { key, type, fallback } of requests) {
      result[key] = plain(evaluators[type](client, key, fallback));
    }
    return result;
  },

  /** Configuration changes the provider reported, with when (ms since the epoch) and which flags. */
  changes: () => changes.slice(),
  /** Errors the provider reported. */
  errors: () => errors.slice(),
  status: () => OpenFeature.getClient().providerStatus,

  /** The README's example, as it is written there. */
  readmeExample,
};
