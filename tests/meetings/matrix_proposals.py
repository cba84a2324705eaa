"""Permission-matrix rows of the workers' proposals.

Objects: :func:`tests.meetings.proposal_world.proposal_world` — proposals of shop A in
every state (the world's worker and a co-author of A1 their authors; the agreed one of
section A1), one of shop B, one of the other plant, and a sketch of A's submitted one and
of the other plant's. The world's worker sits in the bureau of shop A's commission, the
brigade leader of A1 is its factory-committee member.

Who sees a proposal (``Proposal.objects.visible_to``): the people of its unit (a master,
a brigade leader: of its section), its authors, the members of the commission of its
shop, the plant's roles. Who acts (``meetings/proposals/access.py``): filing — a worker
(as an author), a brigade leader, a master, a shop head in their shop; the review — the
bureau; passing on — the factory committee's member; the answer — the shop head, the
production head, the deputy director; the implementation or dropping — the master of its
section, the shop head, the production head. The overdue list: the superiors
(``proposal.overdue``). A step not one's own is 404, a GET of a step 405.
"""

from __future__ import annotations

from django.utils import timezone

from tests.meetings.proposal_world import proposal_world
from tests.permission_matrix import BACK, LOGIN, Pk, get, post

L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405

TODAY = timezone.localdate().isoformat()

FILING = {
    "shop": Pk("shop A"),
    "section": Pk("section A1"),
    "workplace": "Токарный станок 16К20",
    "meeting": Pk("meeting of A (proposals)"),
    "authors": Pk("own worker record (A1)"),
    "title": "Упор для отрезки",
    "problem": "Заготовку меряют линейкой",
    "solution": "Поставить откидной упор",
    "expected_labour": "86,5",
    "expected_materials": "",
    "expected_money": "1 200,50",
}
ACCEPT = {"decision": "accept", "reason": "", "confirm": "1"}
AGREE = {"decision": "agree", "answer": "Сделать в декабре", "confirm": "1"}
IMPLEMENT = {
    "implemented_on": TODAY,
    "responsible": "Мастер Сидоров",
    "actual_labour": "",
    "actual_money": "",
    "actual_effect": "",
    "confirm": "1",
}
DROP = {"reason": "Станок списан", "confirm": "1"}
MEASURE = {"section": Pk("section A1"), "name": "", "version": ""}  # refused: the page again

# fmt: off
ROWS = [
    # url name, object,                                 anon wrk brg mst shp dsp eco lab prh dep adm
    get("meetings:proposal_list", None,                 L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:proposal_list", None,                 L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"_export": "xlsx", "mine": "true", "overdue": "true"}),
    get("meetings:proposal_overdue", None,              L,  NF, NF, NF, ok, NF, ok, NF, ok, ok, ok),
    get("meetings:proposal_overdue", None,              L,  NF, NF, NF, ok, NF, ok, NF, ok, ok, ok,
        query={"_export": "csv"}),
    # filing: a worker as an author, a brigade leader, a master, a shop head in their shop
    get("meetings:proposal_create", None,               L,  ok, ok, ok, ok, NF, NF, NF, NF, NF, NF),
    post("meetings:proposal_create", None,              L,  BK, BK, BK, BK, NF, NF, NF, NF, NF, NF,
         data=FILING),
    get("meetings:proposal_detail", "submitted proposal of A",
                                                        L,  ok, ok, NF, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:proposal_detail", "agreed proposal of A",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:proposal_detail", "submitted proposal of B",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("meetings:proposal_detail", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # the bureau reviews
    get("meetings:proposal_review", "submitted proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_review", "submitted proposal of A",
                                                        L,  BK, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=ACCEPT),
    post("meetings:proposal_review", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=ACCEPT),
    # the factory committee passes it on
    get("meetings:proposal_pass", "accepted proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_pass", "accepted proposal of A",
                                                        L,  NF, BK, NF, NF, NF, NF, NF, NF, NF, NF),
    post("meetings:proposal_pass", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # the administration answers
    get("meetings:proposal_answer", "passed proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_answer", "passed proposal of A",
                                                        L,  NF, NF, NF, BK, NF, NF, NF, BK, BK, NF,
         data=AGREE),
    post("meetings:proposal_answer", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=AGREE),
    # implemented or dropped: the master of its section, the shop head, the production head
    get("meetings:proposal_implement", "agreed proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_implement", "agreed proposal of A",
                                                        L,  NF, NF, BK, BK, NF, NF, NF, BK, NF, NF,
         data=IMPLEMENT),
    post("meetings:proposal_implement", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=IMPLEMENT),
    get("meetings:proposal_drop", "agreed proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_drop", "agreed proposal of A",
                                                        L,  NF, NF, BK, BK, NF, NF, NF, BK, NF, NF,
         data=DROP),
    post("meetings:proposal_drop", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=DROP),
    # attachments: its authors and the bureau, while it is open (no file: the page again)
    get("meetings:proposal_attach", "submitted proposal of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:proposal_attach", "submitted proposal of A",
                                                        L,  ok, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    post("meetings:proposal_attach", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:proposal_document_download", "document of proposal of A",
                                                        L,  ok, ok, NF, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:proposal_document_download", "document of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # the org-technical measure: who edits measures of the proposal's shop (measure.edit)
    get("meetings:proposal_measure", "agreed proposal of A",
                                                        L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF),
    post("meetings:proposal_measure", "agreed proposal of A",
                                                        L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF,
         data=MEASURE),
    get("meetings:proposal_measure", "submitted proposal of A",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:proposal_measure", "proposal of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
]
# fmt: on

OBJECTS = frozenset(
    {
        "commission of A (proposals)",
        "commission of other plant (proposals)",
        "meeting of A (proposals)",
        "submitted proposal of A",
        "accepted proposal of A",
        "passed proposal of A",
        "agreed proposal of A",
        "implemented proposal of A",
        "rejected proposal of A",
        "submitted proposal of B",
        "proposal of other plant",
        "document of proposal of A",
        "document of other plant",
    }
)


def objects(world) -> dict:
    return proposal_world(world)
