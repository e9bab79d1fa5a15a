import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../context.ts';
import type { Principal } from '../auth/principal.ts';
import { integrationOperations as ops, riskModelOperations as models } from '../../../shared/src/contract/integration.ts';
import type { CreditModelRun, LiquidityModelRun, MarketModelRun } from '../../../shared/src/risk-data-models.ts';
import { isUniqueViolation } from '../db/database.ts';
import { parseOrThrow, validationFailed } from '../errors.ts';
import type { CommandDefinition } from '../commands/bus.ts';
import type { z } from 'zod';
import {
  ingestComplianceSync,
  ingestFxPositions,
  ingestLiquidityPosition,
  ingestLoans,
  ingestOperationalIncident,
  ingestTransactionOutcomes,
  runRiskModel,
} from './commands.ts';
import { IdempotencyKeyHeader, type IngestOutcome } from './ingest.ts';
import { modelRuns, portfolioRisk } from './queries.ts';

/**
 * The tenant a delivery is for: the one named in the input (the router already checked the client
 * acts for it), else the client's only tenant. A client that feeds several must name it.
 */
export function deliveryTenant(principal: Principal, named: string | undefined, field: string): string {
  if (named) return named;
  if (principal.tenants !== 'ALL' && principal.tenants.length === 1) return principal.tenants[0]!;
  throw validationFailed([
    { path: field, message: principal.tenants === 'ALL' || principal.tenants.length > 1 ? 'name the tenant: you act for several' : 'you act for no tenant' },
  ]);
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  return parseOrThrow(IdempotencyKeyHeader, Array.isArray(raw) ? raw.join(',') : raw, 'headers.idempotency-key');
}

/**
 * /api/integration/* and /api/v1/risk-models/* from the contract (shared/src/contract/integration.ts,
 * ARCHITECTURE.md rule 2). Each delivery is one command; the raw body goes to the command, which
 * parses it with the same schema the router judged.
 */
export function registerIntegrationRoutes(ctx: ServiceContext): void {
  const { operations, db, bus, clock } = ctx;

  const deliver =
    (command: CommandDefinition<z.ZodType, IngestOutcome>) =>
    async (call: { principal: Principal; body: { tenantId?: string | undefined }; request: FastifyRequest; reply: FastifyReply }) => {
      const tenantId = deliveryTenant(call.principal, call.body.tenantId, 'body.tenantId');
      const input = { tenantId, idempotencyKey: idempotencyKeyOf(call.request), body: call.request.body };
      let outcome: IngestOutcome;
      try {
        outcome = await bus.execute(command, input, call.principal.actor, { requestId: call.request.id });
      } catch (error) {
        // A concurrent twin claimed the key first: it has committed, so this one is its repeat.
        if (!isUniqueViolation(error)) throw error;
        outcome = await bus.execute(command, input, call.principal.actor, { requestId: call.request.id });
      }
      if (outcome.replayed) call.reply.header('Idempotent-Replayed', 'true');
      return outcome.result;
    };

  operations.implement(ops.portfolioRisk, ({ principal, query }) =>
    portfolioRisk(db.kysely, deliveryTenant(principal, query.tenantId, 'query.tenantId'), clock.now()),
  );
  operations.implement(ops.incident, deliver(ingestOperationalIncident));
  operations.implement(ops.complianceSync, deliver(ingestComplianceSync));
  operations.implement(ops.loans, deliver(ingestLoans));
  operations.implement(ops.liquidity, deliver(ingestLiquidityPosition));
  operations.implement(ops.fxPositions, deliver(ingestFxPositions));
  operations.implement(ops.transactionOutcomes, deliver(ingestTransactionOutcomes));

  operations.implement(models.credit, ({ query }) => modelRuns<CreditModelRun>(db.kysely, query.tenantId, 'CREDIT', query.limit));
  operations.implement(models.liquidity, ({ query }) => modelRuns<LiquidityModelRun>(db.kysely, query.tenantId, 'LIQUIDITY', query.limit));
  operations.implement(models.market, ({ query }) => modelRuns<MarketModelRun>(db.kysely, query.tenantId, 'MARKET', query.limit));
  operations.implement(models.run, async ({ principal, body, request }) => ({
    run: await bus.execute(runRiskModel, body, principal.actor, { requestId: request.id }),
  }));
}
