import { demoPage } from './demo-crm';
import type { Connector } from '../domain/skill';
import type { CrmConnector, CrmPage } from './crm-connector';

export type DemoConnectorSettings = Extract<Connector, { Type: 'demo' }>;

/** The built-in demo CRM, in process: endless, so every fetch gets all it asks for. */
export class DemoConnector implements CrmConnector {
  constructor(private readonly settings: DemoConnectorSettings) {}

  async fetch(cursor: string | null, limit: number): Promise<CrmPage> {
    return demoPage(this.settings.Seed, cursor, limit, this.settings.BadRowRate);
  }
}
