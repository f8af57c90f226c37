// The address check of a followed redirect at connect time: the name is judged by what it resolves to, in the very
// lookup the connection uses (so a name cannot resolve to one address when checked and another when used).
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressClass, ssrfRefusal, type AddressClass } from './redirect-policy.js';

/** The error code of a connection refused because its name resolved to a forbidden address. */
export const REDIRECT_REFUSED = 'KC_REDIRECT_REFUSED';

/** A DNS lookup that fails with REDIRECT_REFUSED when any address found may not be reached from a `from` host. */
export function guardedLookup(from: AddressClass, lookup = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const found = typeof address === 'string' ? [address] : address.map((a) => a.address);
      for (const ip of found) {
        const to = addressClass(ip);
        const reason = to && ssrfRefusal(from, to);
        if (reason) {
          const message = `${hostname} resolves to ${ip}: ${reason}`;
          const refused = Object.assign(new Error(message), { code: REDIRECT_REFUSED });
          return callback(refused, address, family);
        }
      }
      callback(null, address, family);
    });
  };
}
