// The registry room's error catalog.

export const RegistryErrors = {
  BAD_NAME: 'REGISTRY_BAD_NAME',
  BAD_REF: 'REGISTRY_BAD_REF',
  NOT_FOUND: 'REGISTRY_NOT_FOUND',
  NO_ARTIFACT: 'REGISTRY_NO_ARTIFACT',
} as const;
