// In Kubernetes a pod's hostname is its name, and a pod's name is its workload's name plus a
// suffix the controller added: the host field then names the service even when the line does not
// (piped `kubectl logs` output has no file name to go by). It is a guess from the host, so it
// ranks below every field, label and file name that names a service (build-record.ts readService).

// Pod-name suffixes are drawn from Kubernetes' "safe" alphabet (k8s.io/apimachinery rand:
// consonants and digits without 0, 1 and 3), so a word with a vowel is never taken for one.
// Older clusters hashed ReplicaSet templates to decimal, so the hash part also takes 0, 1 and 3.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
/** Deployment pods: `<name>-<replicaset hash, 6–10>-<5>` (`api-gateway-6d5f7c9b8-2xkqp`). */
const DEPLOYMENT_POD = new RegExp(`^(.+?)-[${SAFE}0-9]{6,10}-[${SAFE}]{5}$`);
/**
 * StatefulSet pods: `<name>-<ordinal>` (`kafka-0`, `redis-12`); ordinals stay small, and the name
 * ends in a letter, so `ip-10-0-0-5` (an EC2 host name) is not cut to `ip-10-0-0`.
 */
const STATEFULSET_POD = /^(.*[a-z])-(0|[1-9]\d{0,2})$/i;
/** A single DNS label that reads as a name (not an address, a host:port or a container id). */
const HOST_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/i;
/** Docker's default hostname is the container id; `localhost` names no one. */
const NOT_A_SERVICE = /^[0-9a-f]{12}$|^[0-9a-f]{64}$|^localhost$/i;

/**
 * The service a host field suggests: a pod's workload (`api-gateway-6d5f7c9b8-2xkqp` →
 * api-gateway), else the short host name (`vm`); null for `127.0.0.1:8080`, `10.0.0.7`, FQDNs.
 */
export function serviceFromHost(host: string): string | null {
  if (!HOST_NAME.test(host) || NOT_A_SERVICE.test(host)) return null;
  const pod = DEPLOYMENT_POD.exec(host) ?? STATEFULSET_POD.exec(host);
  return pod !== null && HOST_NAME.test(pod[1]!) ? pod[1]! : host;
}
