export { ConfigSecretSource } from './ConfigSecretSource';
export {
  LaunchSecretResolver,
  SecretResolutionError,
} from './LaunchSecretResolver';
export type { LaunchSecretResolverOptions } from './LaunchSecretResolver';
export { readSecretInventory } from './readSecretInventory';
export { listingHolds, SecretSources } from './SecretSources';
export type { SecretListing } from './SecretSources';
