"""What the journal says about your network: pure functions over records, one module per view.

Every function takes ``today`` (nothing reads the clock) and plain records, so each measure
is tested with fixed dates. Results are frozen dataclasses a screen or a command renders
as it likes (orjson serialises them as they are, dates as ISO strings). Records may be the
model's dataclasses or anything with the same attributes (:mod:`.records`).

The measures, in one place (the README says the same in plain words):

* Reciprocity (:mod:`.ledger`): :func:`reciprocity`. Keep in touch (:mod:`.touch`):
  :func:`touch_status`, :func:`overdue`.
* Follow-ups and birthdays due (:mod:`.due`): :func:`follow_ups_due`, :func:`birthdays_due`.
* Time invested (:mod:`.time_budget`): :func:`time_invested`. Circles (:mod:`.circle_groups`):
  :func:`circles`.
* Who knows what (:mod:`.who`): :func:`who_knows`. Open asks and introductions (:mod:`.asks`):
  :func:`open_asks`, :func:`help_ideas`.
* Today (:mod:`.today`): :func:`today_view`.

Every name is re-exported here: callers write ``insights.reciprocity(...)``.
"""

from __future__ import annotations

from netjournal.domain.insights.asks import (
    ASK_FRESH_DAYS,
    HelpIdea,
    OpenAsk,
    ask_words,
    help_ideas,
    open_asks,
)
from netjournal.domain.insights.circle_groups import (
    CircleGroup,
    CircleMember,
    circle_member,
    circles,
    group_circles,
)
from netjournal.domain.insights.due import (
    DUE_AHEAD_DAYS,
    Birthday,
    FollowUp,
    birthdays_due,
    follow_ups_due,
    next_birthday,
)
from netjournal.domain.insights.ledger import (
    DORMANT,
    HALF_LIFE_DAYS,
    INTERDEPENDENT,
    ONE_SIDED_RATIO,
    SPARK,
    VERDICTS,
    YOU_MOSTLY_GIVE,
    YOU_MOSTLY_RECEIVE,
    Reciprocity,
    balance_sparkline,
    by_imbalance,
    favour_value,
    month_keys,
    reciprocity,
    sparkline,
    verdict,
    window_start,
)
from netjournal.domain.insights.records import FavourLike, InteractionLike, day_of, folded
from netjournal.domain.insights.time_budget import (
    TIME_WEEKS,
    DayTime,
    TimeInvested,
    WeekTime,
    day_times,
    split_minutes,
    time_from_days,
    time_invested,
    week_start,
)
from netjournal.domain.insights.today import (
    TODAY_GESTURES,
    TODAY_OVERDUE,
    Suggestion,
    TodayView,
    suggest,
    today_view,
)
from netjournal.domain.insights.touch import TouchStatus, overdue, snoozed_until, touch_status
from netjournal.domain.insights.who import (
    MENTIONS,
    NOTES,
    ROLE_ORG,
    STOPWORDS,
    TAG_EXACT,
    TAG_PARTIAL,
    Profile,
    WhoMatch,
    contact_texts,
    interaction_haystack,
    mention_counts,
    profile,
    query_terms,
    rank_who,
    who_knows,
)

# The store's views still sort with the old private name (store/views.py); it goes with them.
_fold = folded

__all__ = [
    "ASK_FRESH_DAYS", "DORMANT", "DUE_AHEAD_DAYS", "HALF_LIFE_DAYS", "INTERDEPENDENT", "MENTIONS", "NOTES",
    "ONE_SIDED_RATIO", "ROLE_ORG", "SPARK", "STOPWORDS", "TAG_EXACT", "TAG_PARTIAL", "TIME_WEEKS", "TODAY_GESTURES",
    "TODAY_OVERDUE", "VERDICTS", "YOU_MOSTLY_GIVE", "YOU_MOSTLY_RECEIVE",
    "Birthday", "CircleGroup", "CircleMember", "DayTime", "FavourLike", "FollowUp", "HelpIdea", "InteractionLike",
    "OpenAsk", "Profile", "Reciprocity", "Suggestion", "TimeInvested", "TodayView", "TouchStatus", "WeekTime",
    "WhoMatch",
    "ask_words", "balance_sparkline", "birthdays_due", "by_imbalance", "circle_member", "circles", "contact_texts",
    "day_of", "day_times", "favour_value", "follow_ups_due", "folded", "group_circles", "help_ideas",
    "interaction_haystack", "mention_counts", "month_keys", "next_birthday", "open_asks", "overdue", "profile",
    "query_terms", "rank_who", "reciprocity", "snoozed_until", "sparkline", "split_minutes", "suggest",
    "time_from_days", "time_invested", "today_view", "touch_status", "verdict", "week_start", "who_knows",
    "window_start",
]
