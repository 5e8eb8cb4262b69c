// The kiosk's state and flow, for every screen without passing them down by hand.
import { createContext, useContext } from 'react';
import type { KioskState } from '../state.ts';
import type { Flow } from '../flow.ts';
import type { KioskOptions } from '../kiosk-options.ts';

export interface KioskContextValue { state: KioskState; flow: Flow; options: KioskOptions }

export const KioskContext = createContext<KioskContextValue | null>(null);

export function useKiosk(): KioskContextValue {
  const value = useContext(KioskContext);
  if (!value) throw new Error('useKiosk outside <KioskContext>');
  return value;
}
