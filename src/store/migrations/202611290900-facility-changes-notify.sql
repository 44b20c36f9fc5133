-- A facility changed by any process (`sanbao facility disable|enable|level|rotate-key`
-- beside the running service, or another service on the same database) reaches every
-- running service at once: each listens on sanbao_facility_changed
-- (listenForFacilityChanges) and forgets the facility keys it verified
-- (src/api/auth.ts), so a disabled facility or a rotated key is refused on its next
-- request rather than after the 30 s key cache. NOTIFY is sent at commit (never for a
-- change rolled back); the payload is the schema, so a service ignores another
-- county's changes on the same server.
CREATE FUNCTION notify_facility_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sanbao_facility_changed', TG_TABLE_SCHEMA);
  RETURN NULL;
END $$;

CREATE TRIGGER facilities_changed AFTER UPDATE OR DELETE ON facilities
  FOR EACH STATEMENT EXECUTE FUNCTION notify_facility_changed();
