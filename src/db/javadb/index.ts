export { type JavaDb, type MavenCoordinates, openJavaDb } from './java-db.ts';
