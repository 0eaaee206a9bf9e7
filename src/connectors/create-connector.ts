import type { Connector } from '../domain/skill';
import type { CrmConnector } from './crm-connector';
import { DemoConnector } from './demo-connector';
import { FileConnector } from './file-connector';
import { HttpConnector } from './http-connector';

/** The connector a skill's `Refill.Connector` names. */
export function createConnector(settings: Connector): CrmConnector {
  switch (settings.Type) {
    case 'http':
      return new HttpConnector(settings);
    case 'file':
      return new FileConnector(settings);
    case 'demo':
      return new DemoConnector(settings);
  }
}
