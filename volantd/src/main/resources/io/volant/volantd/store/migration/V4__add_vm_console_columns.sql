ALTER TABLE vms ADD COLUMN serial_socket TEXT;
ALTER TABLE vms ADD COLUMN console_socket TEXT;
