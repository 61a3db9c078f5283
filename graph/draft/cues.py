"""Word lists the rules read: speech verbs, denials, hedges, roles, collectives, outlets.

Lemmas (lowercase) of spaCy's English lemmatizer. Kept here, apart from the rules, so a reviewer
can see and extend what the drafter recognises.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


__all__ = [
    "ANONYMOUS_HEADS",
    "COLLECTIVE_HEADS",
    "DENIAL_VERBS",
    "DOCUMENT_HEADS",
    "FINDING_VERBS",
    "FURNITURE_STARTS",
    "HEARSAY_NOUNS",
    "HEDGES",
    "INFERENCE_STARTS",
    "MEDIA_WORDS",
    "OFFICIAL_WORDS",
    "ORG_HEADS",
    "ORG_SUFFIXES",
    "PERSON_ROLES",
    "SPEECH_VERBS",
    "SPOKES_ROLES",
    "TITLES",
]

# Verbs that introduce what someone says, thinks publicly or reports.
SPEECH_VERBS: Final = _words(
    "say tell add warn claim urge reflect explain note insist argue state announce declare "
    "report write tweet post comment remark reply respond answer ask suggest admit "
    "acknowledge concede confirm allege assert maintain contend predict promise vow pledge "
    "threaten caution stress emphasise emphasize point recall recount describe quote call "
    "label brand dub reveal disclose estimate believe think fear hope complain protest lament "
    "denounce condemn criticise criticize accuse blame charge deny dismiss reject refute "
    "dispute counter rebut testify acknowledge conclude observe mention continue quip joke "
    "shout cry whisper muse agree disagree boast indicate signal hint"
)

# Verbs whose clause is a denial: the claim keeps the whole clause, subject to object.
DENIAL_VERBS: Final = _words("deny dismiss reject refute dispute rebut")

# "X had heard rumors that ..." : the content is hearsay, the mode hedged.
HEARSAY_NOUNS: Final = _words("rumor rumour speculation suggestion")

# Words and phrases that hedge the claim they stand in (matched on lowercase text).
HEDGES: Final = (
    "allegedly",
    "reportedly",
    "supposedly",
    "purportedly",
    "apparently",
    "could only be explained",
    "it is believed",
    "it is understood",
    "is believed to",
    "is thought to",
    "is said to",
    "are said to",
    "in a way",
    "i think",
    "may have",
    "might have",
    "seems to",
    "appears to",
)

# A sentence opening with one of these is the author's inference from what came before.
INFERENCE_STARTS: Final = ("thus", "therefore", "hence", "consequently", "as a result")

# Titles and roles written before a name ("Professor Russell Strong").
TITLES: Final = _words(
    "professor prof prof. dr dr. doctor mr mr. mrs mrs. ms ms. miss sir dame lord lady "
    "president senator sen. sen rep. rep governor gov. gov minister judge justice chief "
    "general gen. colonel col. captain capt. sergeant sgt. officer detective det. father rev. "
    "reverend bishop archbishop pope king queen prince princess sheikh mayor chancellor "
    "premier ambassador secretary commissioner inspector coach"
)

# Head nouns of a definite description that names one person ("the professor").
PERSON_ROLES: Final = _words(
    "superintendent principal headteacher "
    "leader councillor councilor boss striker midfielder defender goalkeeper captain farmer "
    "owner head husband wife grandmother grandfather spokesman professor doctor surgeon "
    "physician scientist researcher expert lawyer attorney president minister senator "
    "governor mayor chancellor premier ambassador secretary commissioner chief director "
    "executive ceo chairman chairwoman chair founder spokesman spokeswoman spokesperson "
    "official officer detective inspector judge coach manager player author writer journalist "
    "reporter editor analyst economist historian man woman mother father son daughter actor "
    "actress singer star teacher student pilot driver survivor witness victim resident "
    "activist campaigner priest bishop"
)

# Roles that speak for an organization ("a spokesman for the ministry").
SPOKES_ROLES: Final = _words(
    "spokesman spokeswoman spokesperson representative statement press office"
)

# Unnamed individual sources: kind anonymous ("a person familiar with the matter").
ANONYMOUS_HEADS: Final = _words(
    "source insider person official aide diplomat employee staffer someone"
)

# Head nouns of collectives that can speak or be spoken of ("human rights groups").
COLLECTIVE_HEADS: Final = _words(
    "people persons group organization organisation institution hospital university activist "
    "campaigner lawyer doctor surgeon physician nurse scientist researcher expert analyst "
    "economist critic official officer authority government politician lawmaker legislator "
    "minister diplomat resident citizen villager local neighbour neighbor witness survivor "
    "victim family parent student teacher worker employee staff prisoner dissident detainee "
    "refugee migrant practitioner believer christian muslim minority community professional "
    "investigator prosecutor police soldier troop protester demonstrator user fan voter "
    "member leader source insider observer advocate supporter opponent rival shareholder "
    "investor trader medium media"
)

# Head nouns of a definite description that names a body, not a person ("the ministry said").
ORG_HEADS: Final = _words(
    "ministry company government authority council department agency police court committee "
    "union group club team league party firm bank university hospital school board office "
    "embassy commission service army military navy administration parliament regime state "
    "city county charity organization organisation institute association federation network "
    "channel newspaper paper website site station church campaign coalition alliance bureau"
)  # fmt: skip

# Last words of a name that make it an organization whatever the entity model says.
ORG_SUFFIXES: Final = _words(
    "homes group ltd inc inc. plc llc corp corp. bank partners holdings media motors airlines "
    "airways foundation trust council association institute university hospital party union "
    "fund"
)  # fmt: skip

# Head nouns of a cited document ("according to statistical reports ...").
DOCUMENT_HEADS: Final = _words(
    "report study survey document documents data statistics figure estimate record paper "
    "analysis review investigation audit filing letter memo statement release poll census"
)

# Verbs with which a document states what it holds ("a 2022 report found that …").
FINDING_VERBS: Final = SPEECH_VERBS | _words("find show conclude suggest reveal estimate")

# Words in an organization's name that make it a news outlet (a relayed document's publisher).
MEDIA_WORDS: Final = _words(
    "mail times post news herald guardian telegraph journal tribune reuters ap afp bbc cnn "
    "nbc abc cbs fox bloomberg gazette daily independent express mirror sun observer "
    "chronicle courier radio tv television press agency xinhua tass wire magazine newsweek "
    "politico axios vox"
)

# Words in an organization's name that make its statements official.
OFFICIAL_WORDS: Final = _words(
    "party ministry government department police army military agency council commission "
    "parliament senate congress office house kremlin embassy court administration cabinet "
    "state authority authorities navy force forces bureau"
)

# Page furniture: a paragraph that starts with one of these (lowercase) is not content.
FURNITURE_STARTS: Final = (
    "sign up",
    "subscribe",
    "by submitting",
    "click here",
    "follow us",
    "read more",
    "read next",
    "related:",
    "related articles",
    "advertisement",
    "share this",
    "share on",
    "all rights reserved",
    "copyright",
    "©",
    "download our app",
    "join our",
    "get our newsletter",
    "we use cookies",
    "this article was",
    "story continues",
    "continue reading",
)
