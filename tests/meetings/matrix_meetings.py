"""Permission-matrix rows of commissions, meetings and their statistics.

Objects: :func:`tests.meetings.worlds.meeting_world` (commissions of shops A, B, of the
plant and of the other plant's shop; a held meeting of each; shop A's meeting with its
invitations, agenda, decision and request). The world's worker sits in the bureau of
shop A's commission.

Who (``meetings/permissions.py``): a shop's commission and meetings are seen by the
people of the shop, the plant's by everyone of the plant. ``commission.edit``: the shop
head (his shop's), the production head, the deputy director, the administrator (the
plant's: those of the plant). ``meeting.edit``: the same and the shop's economist — and
the commission's bureau (here the world's worker, for shop A). The statistics: the
reading roles of ``meeting.stats`` with a unit to read (not the brigade leader, not a
worker outside a bureau).
"""

from __future__ import annotations

from tests.meetings.worlds import meeting_world
from tests.permission_matrix import BACK, LOGIN, Pk, get, post

L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405

COMMISSION = {
    "level": "shop",
    "shop": Pk("shop A"),
    "name": "Производственная комиссия цеха",
    "review_days": "15",
    "answer_days": "30",
    "version": "",
}
MEMBER = {
    "name": "Новиков Н. Н.",
    "position": "Токарь",
    "group": "workers",
    "worker": "",
    "user": "",
    "version": "",
}
MEETING = {
    "date": "2026-10-20",
    "status": "planned",
    "chair": "",
    "chair_name": "",
    "headcount": "",
    "minutes": "",
    "version": "",
}
ATTENDANCE = {"attendees": Pk("own worker record (A1)")}
INVITATION = {"department": Pk("department ИНО (not invited)"), "representative": "Орлов"}
AGENDA = {"title": "Отчёт мастера", "kind": "report"}
DECISION = {"text": "Проверить", "responsible": "Мастер", "deadline": "2026-10-20"}
DONE = {"done_on": "2026-10-10"}
REQUEST = {"department": Pk("department ТБ"), "question": "Сроки поставки оснастки?"}
REQUEST_NOT_INVITED = {
    "department": Pk("department ИНО (not invited)"),
    "question": "Сроки поставки оснастки?",
}
ANSWER = {"answer": "До 20.10.2026", "answered_on": "2026-10-05"}

# fmt: off
ROWS = [
    # url name, object,                                 anon wrk brg mst shp dsp eco lab prh dep adm
    get("meetings:meeting_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:meeting_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"_export": "xlsx"}),
    get("meetings:commission_list", None,               L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # The statistics: the reading roles with a unit (no bureau seat without the world).
    get("meetings:stats", None,                         L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:stats_pdf", None,                     L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"date_from": "2026-01-01", "date_to": "2026-11-30"}),
    # A new commission: of a shop without one, by who edits commissions there.
    get("meetings:commission_create", None,             L,  NF, NF, NF, ok, NF, NF, NF, ok, ok, ok),
    post("meetings:commission_create", None,            L,  NF, NF, NF, BK, NF, NF, NF, BK, BK, BK,
         data=COMMISSION),
    get("meetings:commission_detail", "commission of A",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:commission_detail", "commission of B",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("meetings:commission_detail", "plant commission",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:commission_detail", "commission of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:commission_edit", "commission of A",  L,  NF, NF, NF, ok, NF, NF, NF, ok, ok, ok),
    get("meetings:commission_edit", "commission of B",  L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:commission_edit", "plant commission", L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:commission_edit", "commission of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    post("meetings:commission_edit", "commission of A", L,  NF, NF, NF, BK, NF, NF, NF, BK, BK, BK,
         data={**COMMISSION, "review_days": "10"}),
    get("meetings:member_create", "commission of A",    L,  NF, NF, NF, ok, NF, NF, NF, ok, ok, ok),
    post("meetings:member_create", "commission of A",   L,  NF, NF, NF, BK, NF, NF, NF, BK, BK, BK,
         data=MEMBER),
    get("meetings:member_create", "commission of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:member_edit", "bureau member of A",   L,  NF, NF, NF, ok, NF, NF, NF, ok, ok, ok),
    get("meetings:member_edit", "member of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:member_remove", "bureau member of A", L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:member_remove", "bureau member of A",
                                                        L,  NF, NF, NF, BK, NF, NF, NF, BK, BK, BK),
    post("meetings:member_remove", "member of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Meetings: a shop's by its head, economist and bureau, and the plant's heads.
    get("meetings:meeting_create", "commission of A",   L,  ok, NF, NF, ok, NF, ok, NF, ok, ok, ok),
    post("meetings:meeting_create", "commission of A",  L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=MEETING),
    get("meetings:meeting_create", "commission of B",   L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:meeting_create", "plant commission",  L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:meeting_create", "commission of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:meeting_detail", "meeting of A",      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:meeting_detail", "meeting of B",      L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("meetings:meeting_detail", "plant meeting",     L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("meetings:meeting_detail", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:meeting_edit", "meeting of A",        L,  ok, NF, NF, ok, NF, ok, NF, ok, ok, ok),
    get("meetings:meeting_edit", "plant meeting",       L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:meeting_edit", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:meeting_attendance", "meeting of A",  L,  ok, NF, NF, ok, NF, ok, NF, ok, ok, ok),
    post("meetings:meeting_attendance", "meeting of A", L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=ATTENDANCE),
    get("meetings:meeting_attendance", "meeting of B",  L,  NF, NF, NF, NF, NF, NF, NF, ok, ok, ok),
    get("meetings:meeting_attendance", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:invitation_add", "meeting of A",      L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:invitation_add", "meeting of A",     L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=INVITATION),
    post("meetings:invitation_add", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=INVITATION),
    post("meetings:invitation_remove", "invitation of ОТК to meeting of A",
                                                        L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK),
    post("meetings:invitation_remove", "invitation of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:invitation_remove", "invitation of ОТК to meeting of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:agenda_add", "meeting of A",         L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=AGENDA),
    post("meetings:agenda_add", "meeting of B",         L,  NF, NF, NF, NF, NF, NF, NF, BK, BK, BK,
         data=AGENDA),
    post("meetings:agenda_add", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=AGENDA),
    get("meetings:agenda_add", "meeting of A",          L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:agenda_remove", "agenda item of meeting of A",
                                                        L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK),
    post("meetings:agenda_remove", "agenda item of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("meetings:agenda_remove", "agenda item of meeting of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:decision_add", "meeting of A",       L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=DECISION),
    post("meetings:decision_add", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=DECISION),
    get("meetings:decision_add", "meeting of A",        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:decision_done", "decision of meeting of A",
                                                        L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=DONE),
    post("meetings:decision_done", "decision of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=DONE),
    get("meetings:decision_done", "decision of meeting of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    # The Sestroretsk rule: a request to an invited department is written; to one not
    # invited it is refused next to the field (the page again).
    post("meetings:request_add", "meeting of A",        L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=REQUEST),
    post("meetings:request_add", "meeting of A",        L,  ok, NF, NF, ok, NF, ok, NF, ok, ok, ok,
         data=REQUEST_NOT_INVITED),
    post("meetings:request_add", "meeting of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REQUEST),
    get("meetings:request_add", "meeting of A",         L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("meetings:request_answer", "request of meeting of A",
                                                        L,  BK, NF, NF, BK, NF, BK, NF, BK, BK, BK,
         data=ANSWER),
    post("meetings:request_answer", "request of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=ANSWER),
    get("meetings:request_answer", "request of meeting of A",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
]
# fmt: on

OBJECTS = frozenset(
    {
        "department ТБ",
        "department ОТК",
        "department ИНО (not invited)",
        "department of other plant",
        "commission of A",
        "commission of B",
        "plant commission",
        "commission of other plant",
        "bureau member of A",
        "member of other plant",
        "meeting of A",
        "meeting of B",
        "plant meeting",
        "meeting of other plant",
        "invitation of ТБ to meeting of A",
        "invitation of ОТК to meeting of A",
        "invitation of other plant",
        "agenda item of meeting of A",
        "agenda item of other plant",
        "decision of meeting of A",
        "decision of other plant",
        "request of meeting of A",
        "request of other plant",
    }
)


def objects(world) -> dict:
    return meeting_world(world)
