package io.federa.flow.node;

/**
 * A party of a running job as its initiator's watchdog sees it: when it was last heard from, the
 * step it was at, and since when it is unreachable (null while it is not).
 */
public record PartyView(int partyId, String lastSeen, String lastStep, String unreachableSince) {}
