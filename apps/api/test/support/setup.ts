// Integration tests boot real servers and databases: give them room.
jest.setTimeout(60_000);
