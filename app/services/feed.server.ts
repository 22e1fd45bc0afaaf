/**
 * The home feed ("For you"), "More like this" and the interest picker: one pipeline, one file per
 * stage, in app/services/discovery/feed/ —
 *   history.server   what we know about the person (signals, seeds, hidden, owned, picked interests)
 *   sources.server   the candidate sources, each a CandidateSource { name, weight, items }
 *   rank.server      every source through the shared ranking stage (discovery/ranking.server)
 *   rules.server     the surface's rules: hide penalty, languages first, one card per picture, the new-creator slot
 *   log.server       the served-list log
 *   home.server      For you, top to bottom;  related.server  More like this, top to bottom
 *   picker.server    the interest picker, topic labels and "Boards for you" beside the feed
 * This module only re-exports their public names, so routes and tests import from one place.
 */

export { FEED_SIZE, feedForHome, homeFeed, type FeedOptions } from "./discovery/feed/home.server";
export { relatedCards, relatedList, type Related, type RelatedCard } from "./discovery/feed/related.server";
export {
  boardsForInterests,
  boardTiles,
  knownSlugs,
  pickerOptions,
  setPickedInterests,
  topicLabels,
  type PickerOption,
} from "./discovery/feed/picker.server";
export { hasHistory, hiddenPins, pickedInterests, seedsOf, userSignals, type Signal } from "./discovery/feed/history.server";
export { NEW_CREATOR_DAYS, NEW_CREATOR_ENGAGED, newCreators } from "./discovery/feed/sources.server";
export { blend, NEW_CREATOR_EVERY } from "./discovery/feed/rules.server";
export type { FeedCard, FeedReason, FeedSource, HomeFeed } from "./discovery/feed/types.server";
