"""Labelled prototype statements and keyword rules for offline insight and role extraction.

Data only. Prototypes are short statements written for this project (not taken from any test
interview); a sentence is compared to them by embedding similarity. Keyword patterns are the
fallback when no embedding function is available and a tie-breaker when one is.
"""

from __future__ import annotations

PROTOTYPES: dict[str, list[str]] = {
    "pain": [
        "It was very difficult to keep up with everything, it was a real headache.",
        "The old tool was slow and clunky and frustrating to use.",
        "We wasted hours every week on manual work.",
        "It was too noisy and important information got lost.",
        "Debugging was painful and we had no visibility into what was going on.",
        "Our costs were getting out of control.",
    ],
    "goal": [
        "We wanted a tool that lets the whole team stay in sync.",
        "Our goal is to reduce the time we spend on reporting.",
        "We need to be able to find information quickly.",
        "I want my team to focus on the work that matters.",
        "We aim to improve reliability and performance.",
    ],
    "objection": [
        "The price is too high for a company of our size.",
        "I was worried about the cost and whether we could justify the budget.",
        "We were concerned about security and where our data would live.",
        "Migrating everything would take too much effort.",
        "I wasn't sure the team would adopt it; there was some push back.",
        "It took some getting used to at first.",
    ],
    "trigger": [
        "When we grew past fifty people the old setup broke down.",
        "After the acquisition we suddenly had multiple tools.",
        "Our contract was up for renewal so we started looking.",
        "When we went fully remote we needed something new.",
        "The old vendor raised prices, so we began evaluating alternatives.",
    ],
    "job": [
        "I use it every day to coordinate the team and track incidents.",
        "We use it to onboard new people and share knowledge.",
        "I need to get an overview of what is happening across projects.",
        "We integrate it with our CI pipeline to get notified when builds finish.",
    ],
    "information_source": [
        "I read about it on Hacker News.",
        "A friend recommended it to me.",
        "We found it through a blog post and the documentation.",
        "I heard about it at a conference talk.",
        "We asked around in the community forum and on Reddit.",
    ],
    "content_preference": [
        "I prefer short videos and hands-on tutorials.",
        "Case studies from similar companies convince me.",
        "I like reading detailed technical documentation and the source code.",
        "A free trial is the best way for us to evaluate.",
        "Webinars and podcasts are how I learn.",
    ],
}

KEYWORDS: dict[str, str] = {
    "pain": r"\b(difficult|hard to|painful|pain|frustrat\w*|noisy|slow|clunky|struggl\w*|"
    r"impossible|wast\w*|headache|annoy\w*|cluttered|bad for|broke|downside|mess)\b",
    "goal": r"\b(we wanted|we want|i want|our goal|goal is|we need(?:ed)? to|aim to|"
    r"looking for|so that|in order to|to improve|to make sure)\b",
    "objection": r"\b(expensive|price|pricing|cost(?:s|ly)?|budget|concern\w*|worr\w*|risk\w*|"
    r"security|hurdle|push ?back|hesita\w*|getting used to|not sure|didn'?t want)\b",
    "trigger": r"\b(when we (?:grew|started|moved|went|joined)|after (?:the|we|a)|acquisition|"
    r"renewal|as the company (?:evolved|grew)|by 20\d\d|it was time|switch\w*|migrat\w*)\b",
    "job": r"\b(i use|we use|use it (?:to|for)|every day|all day|to coordinate|to track|"
    r"integrat\w* with|onboard\w*|to manage)\b",
    "information_source": r"\b(hacker news|reddit|recommend\w*|heard about|read about|blog|"
    r"conference|podcast|word of mouth|forum|friend|colleague told|learned about)\b",
    "content_preference": r"\b(docs|documentation|tutorial|video|webinar|case stud\w*|trial|"
    r"demo|source code|book|hands-on|visual)\b",
}

# Decision role from the title, checked in order (first match wins).
TITLE_RULES: list[tuple[str, str]] = [
    # Gatekeepers who review rather than buy: security, procurement, legal, compliance.
    (
        r"\b(security (?:lead|manager|officer|engineer|architect)|it security|procurement|"
        r"purchasing|legal|counsel|compliance|vendor management)\b",
        "blocker",
    ),
    # Operations owners usually find the tool and sell it internally.
    (
        r"\b(revenue operations|revops|sales operations|marketing operations|ops lead|"
        r"operations lead|operations manager)\b",
        "champion",
    ),
    (
        r"\b(cto|cio|ciso|chief technology|chief information|head of (?:it|engineering|"
        r"infrastructure|platform|devops|security|data)|director of (?:engineering|it|technology|data)|"
        r"vp (?:of )?engineering|architect|it (?:manager|director))\b",
        "technical_buyer",
    ),
    (
        r"\b(ceo|cfo|coo|chief executive|chief financial|founder|co-founder|owner|president|"
        r"managing director|general manager|vp|vice president|head of|director)\b",
        "economic_buyer",
    ),
    (r"\b(manager|team lead|lead|product manager|head of product)\b", "champion"),
    (
        r"\b(engineer|developer|analyst|agent|specialist|consultant|designer|sre|operator|"
        r"administrator|user)\b",
        "end_user",
    ),
]

ROLE_KEYWORDS: dict[str, str] = {
    "champion": r"\b(i (?:pushed|championed|convinced|introduced|installed|proposed|rolled out|"
    r"brought|found you|ran the (?:evaluation|pilot|trial)|built the business case)|"
    r"sold it internally|we (?:decided|chose|switched)|i love|go all-in|never looked back|"
    r"evangel\w*|advocat\w*)\b",
    "blocker": r"\b(not worth|won'?t (?:buy|use|approve)|against it|too risky|veto\w*|"
    r"not convinced|blocked|no way we|refuse\w*)\b",
    "economic_buyer": r"\b(budget|roi|cost|price|pay|spend|contract|invest\w*|approve\w*)\b",
    "technical_buyer": r"\b(self-host\w*|api|integrat\w*|security|ldap|sso|deploy\w*|"
    r"server|architecture|open[- ]source|infrastructure)\b",
    "end_user": r"\b(i use|every day|all day|my workflow|in my day|notifications?|search)\b",
}

PHRASE_MARKERS = (
    r"\b(love|hate|absolutely|amazing|abhorrent|lifeline|bulletproof|never "
    r"looked back|game[- ]changer|revelation|show-stopper|at the core|critical)\b"
)


# What the interviewer asked (or the note's lead-in, e.g. "Pain, in his words:") says what kind
# of answer follows. Checked in order; the first match wins.
QUESTION_KINDS: list[tuple[str, str]] = [
    (
        "objection",
        r"\b(worr\w*|concern\w*|hesita\w*|objection\w*|risk\w*|push ?back|doubts?|"
        r"almost (?:stop|didn)\w*|what would (?:stop|block)|blocker|nearly (?:stop|walk))\b",
    ),
    (
        "trigger",
        r"\b(why now|what made|priority|trigger\w*|prompted|start(?:ed)? looking|"
        r"what changed|tipping point|the moment)\b",
    ),
    (
        "information_source",
        r"\b(hear about|first hear|find out about|learn about|sources?|"
        r"where do you (?:go|look|read)|newsletters?|communit\w+|podcasts?)\b",
    ),
    (
        "content_preference",
        r"\b(what (?:content|material|information) (?:would|helps?)|format|"
        r"would have helped you (?:decide|evaluate)|prefer to (?:read|see)|content preference)\b",
    ),
    (
        "pain",
        r"\b(problem|pain\w*|frustrat\w*|challenge\w*|struggl\w*|worst|hard(?:est)?|"
        r"difficult\w*|broken)\b",
    ),
    (
        "goal",
        r"\b(goal\w*|success|achieve|hope\w*|ideal|wants?|what would good look like|"
        r"outcome\w*|in a year)\b",
    ),
    ("responsibility", r"\b(your role|responsib\w*|what do you own|describe (?:your|what you))\b"),
    ("job", r"\b(use it for|day[- ]to[- ]day|workflow|how do you use|what do you use)\b"),
]
