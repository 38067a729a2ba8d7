import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('Parley');
  const mode = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
  logger.log(`Database: ${mode}; Redis: ${config.redisUrl ? 'on' : 'off (single instance)'}; mail: ${config.smtpUrl ? 'SMTP' : 'printed to this log'}`);
  logger.log(`Parley is running at ${config.publicUrl}  (API docs: ${config.publicUrl}/api/docs)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
