const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entity ids are UUIDs; anything else cannot be stored, so it is never found. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
