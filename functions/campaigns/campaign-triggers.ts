import { createHash } from 'node:crypto';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  type EventBridgeClientConfig,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import type { CampaignTriggers } from '#domain/campaigns/campaign.ports.ts';
import { ConflictError } from '#domain/shared/errors.ts';
import { boundedClientConfig } from '../shared/bounded-client.ts';
import { CONTROL_CLIENT_LIMITS } from '../shared/one-off-schedules.ts';

// A triggered campaign's own EventBridge rule on the crm bus. Rule names are at most 64 characters
// of [.-_A-Za-z0-9] and campaign ids up to 128 of anything, so the name is a digest of the id (the
// description names the id); the prefix is what the IAM grant (rule/crm/campaign-*) and the
// Lambda permission's SourceArn match.

export const CAMPAIGN_RULE_PREFIX = 'campaign-';
/** The rule's one target; a fixed id makes PutTargets replace it and RemoveTargets find it. */
export const CAMPAIGN_TARGET_ID = 'campaign-trigger';

/** What the campaignTrigger function gets from a campaign's rule (the input template below). */
export interface CampaignTriggerInput {
  readonly campaignId: string;
  readonly event: EventBridgeEvent<string, unknown>;
}

export interface CampaignTriggerSettings {
  readonly busName: string;
  /** The campaignTrigger function. */
  readonly targetArn: string;
  /** Where EventBridge parks an event it could not hand to the function. */
  readonly deadLetterArn: string;
}

/** `campaign-` and 128 bits of the id's SHA-256: stable, 41 characters, never a clash in practice. */
export function campaignRuleName(campaignId: string): string {
  return CAMPAIGN_RULE_PREFIX + createHash('sha256').update(campaignId).digest('hex').slice(0, 32);
}

/**
 * `{"campaignId": "<id>", "event": <aws.events.event.json>}`. The id is a JSON string whose `<`
 * and `>` are written as \u003c and \u003e, so no id can read as a placeholder.
 */
export function triggerInputTemplate(campaignId: string): string {
  const id = JSON.stringify(campaignId).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `{"campaignId": ${id}, "event": <aws.events.event.json>}`;
}

/** The adapter over its own bounded client (`config`: the local runtime's endpoint; AWS's defaults when absent). */
export function eventBridgeCampaignTriggersFor(config: EventBridgeClientConfig | undefined, settings: CampaignTriggerSettings): CampaignTriggers {
  return eventBridgeCampaignTriggers(new EventBridgeClient({ ...boundedClientConfig(CONTROL_CLIENT_LIMITS), ...config }), settings);
}

export function eventBridgeCampaignTriggers(client: EventBridgeClient, settings: CampaignTriggerSettings): CampaignTriggers {
  const bus = { EventBusName: settings.busName };
  return {
    async enable(campaignId, pattern) {
      const Name = campaignRuleName(campaignId);
      // PutRule and PutTargets both create or replace, so enabling again converges.
      await client
        .send(new PutRuleCommand({ ...bus, Name, Description: `Trigger of campaign ${campaignId}`.slice(0, 512), EventPattern: JSON.stringify(pattern), State: 'ENABLED' }))
        .catch((error: unknown) => {
          // The bus's quota of rules (300 by default) bounds the triggered campaigns active at once.
          if ((error as Error).name === 'LimitExceededException') {
            throw new ConflictError('The crm bus has as many rules as its EventBridge quota allows: pause or cancel another triggered campaign, or raise the quota.');
          }
          throw error;
        });
      const out = await client.send(
        new PutTargetsCommand({
          ...bus,
          Rule: Name,
          Targets: [
            {
              Id: CAMPAIGN_TARGET_ID,
              Arn: settings.targetArn,
              InputTransformer: { InputTemplate: triggerInputTemplate(campaignId) },
              // EventBridge's own maxima, written out: an event that matched is worth a day of retries.
              RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
              DeadLetterConfig: { Arn: settings.deadLetterArn },
            },
          ],
        }),
      );
      if (out.FailedEntryCount) {
        const failed = out.FailedEntries?.[0];
        // Named after the entry's code (InternalFailure, ConcurrentModificationException...), so
        // dependency-errors.ts can tell a passing fault (503) from anything else.
        throw Object.assign(new Error(`PutTargets on ${Name} (campaign ${campaignId}) failed: ${failed?.ErrorCode ?? 'unknown'}: ${failed?.ErrorMessage ?? ''}`), {
          name: failed?.ErrorCode ?? 'PutTargetsFailed',
        });
      }
    },

    async disable(campaignId) {
      const Name = campaignRuleName(campaignId);
      try {
        await client.send(new RemoveTargetsCommand({ ...bus, Rule: Name, Ids: [CAMPAIGN_TARGET_ID] }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
        return; // no rule: nothing to delete
      }
      // DeleteRule succeeds for a rule that is already gone (EventBridge documents it).
      await client.send(new DeleteRuleCommand({ ...bus, Name }));
    },
  };
}
