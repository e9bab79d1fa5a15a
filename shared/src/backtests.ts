import { z } from 'zod';
import { Backtest } from './decision-engine.ts';

/** A stored backtest in a configuration's list: everything but the changed payments (GET the backtest for those). */
export const BacktestListItem = Backtest.omit({ changes: true });
export type BacktestListItem = z.infer<typeof BacktestListItem>;

export const BacktestList = z.object({ items: z.array(BacktestListItem) });
export type BacktestList = z.infer<typeof BacktestList>;
