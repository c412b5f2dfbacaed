// The README's browser example ("In a web page"), run by OfrepBrowserIT; the test also checks
// that the README shows the lines between the markers as they are here.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

export async function readmeExample(darklaunchUrl, clientToken, user, render) {
  // README example begins
  await OpenFeature.setProviderAndWait(new OFREPWebProvider({
    baseUrl: darklaunchUrl,                                // the Darklaunch server; OFREP lives under /ofrep/v1
    headers: [['Authorization', `Bearer ${clientToken}`]], // a client token: made to be shipped in a page
    pollInterval: 30_000,                                  // look for changes every 30 s (a 304 while there are none)
  }), { targetingKey: user.id, country: user.country });

  const flags = OpenFeature.getClient();
  const show = () => render(flags.getBooleanValue('new-checkout', false), flags.getStringValue('banner', 'blue'));
  show();
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, show);
  // README example ends
}
