import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { sourcesPattern } from '#events/catalog.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';

/** Long enough to replay a consumer's fix over a quarter's events; archives bill per GB only. */
export const ARCHIVE_RETENTION = Duration.days(90);

/**
 * The `crm` bus every domain event is published to, with an archive of every catalogued event so
 * a new or repaired consumer can be fed by replay.
 */
export class CrmBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: EVENT_BUS_NAME,
      description: 'Domain events of the eCRM (published through the table outbox)',
    });
    this.bus.archive('Archive', {
      description: 'Every catalogued domain event, for replay',
      eventPattern: sourcesPattern(),
      retention: ARCHIVE_RETENTION,
    });
  }
}
