"""Every REST route of tqsim over real HTTP on loopback: success and
error, paging, filters, validation, 401/404/405, and the statistics'
internal consistency."""

import json
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import Sim, wait_for  # noqa: E402

EPOCH = "2024-03-01T12:00:00Z"
START = "2024-03-01T11:00:00Z"	# epoch - the default 60-minute warm-up


class Rest(unittest.TestCase):
    """Every route, its validation and paging.  Without the simulated rate
    limits: these tests send bursts of validation requests (the limits
    have their own tests in test-control.py)."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed", "3", "--epoch", EPOCH, "--paused", "--no-rate-limits")

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def q(self, i=0):
        return self.sim.wsurl + "/TaskQueues/" + self.sim.queues[i]

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.json() if r.body else None

    def err(self, r, status, code, needle=None):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(body["status"], status)
        self.assertEqual(body["code"], code)
        self.assertEqual(body["more_info"], "https://www.twilio.com/docs/errors/%d" % code)
        if needle:
            self.assertIn(needle, body["message"])
        return body

    # ---- auth ------------------------------------------------------------
    def test_auth(self):
        s = self.sim
        r = s.get(s.wsurl, auth=None)
        self.err(r, 401, 20003, "Authenticate")
        self.assertEqual(r.headers["WWW-Authenticate"], 'Basic realm="Twilio API"')
        self.err(s.get(s.wsurl, auth=(s.account, "0" * 32)), 401, 20003)
        self.err(s.get(s.wsurl, auth=("AC" + "0" * 32, s.token)), 401, 20003)
        self.err(s.get(s.wsurl, auth=(s.api_key, s.token)), 401, 20003)
        self.err(s.get(s.wsurl, headers={"Authorization": "Bearer " + s.token}, auth=None), 401, 20003)
        self.err(s.get(s.wsurl, headers={"Authorization": "Basic !!!"}, auth=None), 401, 20003)
        self.ok(s.get(s.wsurl, auth=(s.api_key, s.api_secret)))
        self.assertNotIn(s.token, s.log())
        self.assertNotIn(s.api_secret, s.log())

    # ---- workspace -------------------------------------------------------
    def test_workspace(self):
        s = self.sim
        w = self.ok(s.get(s.wsurl))
        self.assertEqual(w["sid"], s.ws)
        self.assertEqual(w["account_sid"], s.account)
        self.assertEqual(w["friendly_name"], "Acme Support Centre")
        self.assertEqual(w["url"], s.wsurl)
        self.assertEqual(w["links"]["task_queues"], s.wsurl + "/TaskQueues")
        self.assertEqual(w["default_activity_name"], "Offline")
        lst = self.ok(s.get(s.url + "/v1/Workspaces"))
        self.assertEqual([x["sid"] for x in lst["workspaces"]], [s.ws])
        self.err(s.get(s.url + "/v1/Workspaces/WS" + "0" * 32), 404, 20404)
        self.err(s.get(s.url + "/v1/Workspaces/WS" + "0" * 32 + "/TaskQueues"), 404, 20404)

    def test_not_found_and_methods(self):
        s = self.sim
        self.err(s.get(s.wsurl + "/Nope"), 404, 20404, "was not found")
        self.err(s.get(s.url + "/v2/Workspaces"), 404, 20404)
        self.err(s.get(self.q() + "/Nope"), 404, 20404)
        self.err(s.get(s.wsurl + "/TaskQueues/WQ" + "0" * 32), 404, 20404)
        self.err(s.get(s.wsurl + "/TaskQueues/garbage"), 404, 20404)
        self.err(s.request("PUT", self.q(), data={"FriendlyName": "x"}), 405, 20004)
        self.err(s.post(self.q() + "/RealTimeStatistics"), 405, 20004)
        self.err(s.get(s.wsurl + "/TaskQueues/RealTimeStatistics"), 405, 20004)
        self.err(s.post(s.wsurl + "/Workers"), 405, 20004)

    # ---- TaskQueues: list, paging, filters --------------------------------
    def test_list_queues(self):
        s = self.sim
        lst = self.ok(s.get(s.wsurl + "/TaskQueues"))
        self.assertEqual([q["sid"] for q in lst["task_queues"]], s.queues)
        m = lst["meta"]
        self.assertEqual(m["key"], "task_queues")
        self.assertEqual(m["page"], 0)
        self.assertEqual(m["page_size"], 50)
        self.assertIsNone(m["next_page_url"])
        self.assertIsNone(m["previous_page_url"])
        self.assertTrue(m["first_page_url"].startswith(s.wsurl + "/TaskQueues?"))

    def test_paging(self):
        s = self.sim
        seen, pages = [], []
        url = s.wsurl + "/TaskQueues?PageSize=4"
        while url:
            self.assertTrue(url.startswith(s.url + "/"), url)
            page = self.ok(s.get(url))
            pages.append(page)
            seen += [q["sid"] for q in page["task_queues"]]
            url = page["meta"]["next_page_url"]
        self.assertEqual(seen, s.queues)
        self.assertEqual([p["meta"]["page"] for p in pages], [0, 1])
        self.assertEqual(len(pages[1]["task_queues"]), 2)
        prev = self.ok(s.get(pages[1]["meta"]["previous_page_url"]))
        self.assertEqual([q["sid"] for q in prev["task_queues"]], s.queues[:4])
        self.assertEqual(self.ok(s.get(pages[1]["meta"]["first_page_url"]))["task_queues"],
                         pages[0]["task_queues"])
        # Page without a token is an offset
        p1 = self.ok(s.get(s.wsurl + "/TaskQueues", {"PageSize": 4, "Page": 1}))
        self.assertEqual([q["sid"] for q in p1["task_queues"]], s.queues[4:])
        for bad in ({"PageSize": 0}, {"PageSize": 1001}, {"PageSize": "x"}, {"Page": -1},
                    {"PageToken": "PAWQ" + "1" * 32}, {"PageToken": "zz"}):
            self.err(s.get(s.wsurl + "/TaskQueues", bad), 400, 20001, list(bad)[0])

    def test_queue_filters(self):
        s = self.sim
        names = lambda r: [q["friendly_name"] for q in self.ok(r)["task_queues"]]  # noqa: E731
        self.assertEqual(names(s.get(s.wsurl + "/TaskQueues", {"FriendlyName": "Billing"})), ["Billing"])
        self.assertEqual(names(s.get(s.wsurl + "/TaskQueues", {"FriendlyName": "nope"})), [])
        attrs = {"skills": ["billing"], "languages": ["en"], "level": 1}
        self.assertEqual(names(s.get(s.wsurl + "/TaskQueues",
                                     {"EvaluateWorkerAttributes": json.dumps(attrs)})), ["Billing"])
        attrs = {"skills": ["support"], "languages": ["en", "es"], "level": 4}
        self.assertEqual(names(s.get(s.wsurl + "/TaskQueues", {"EvaluateWorkerAttributes": json.dumps(attrs)})),
                         ["Support L1", "Support L2", "Spanish", "VIP"])
        self.err(s.get(s.wsurl + "/TaskQueues", {"EvaluateWorkerAttributes": "{nope"}), 400, 20001,
                 "EvaluateWorkerAttributes")
        self.err(s.get(s.wsurl + "/TaskQueues", {"EvaluateWorkerAttributes": "[1]"}), 400, 20001)
        # WorkerSid: the queues whose TargetWorkers match that worker
        workers = self.ok(s.get(s.wsurl + "/Workers", {"PageSize": 100}))["workers"]
        w = workers[1]
        got = names(s.get(s.wsurl + "/TaskQueues", {"WorkerSid": w["sid"]}))
        want = names(s.get(s.wsurl + "/TaskQueues", {"EvaluateWorkerAttributes": w["attributes"]}))
        self.assertEqual(got, want)
        self.assertTrue(got)
        self.err(s.get(s.wsurl + "/TaskQueues", {"WorkerSid": "WK" + "0" * 32}), 400, 20001, "WorkerSid")
        # Ordering
        desc = names(s.get(s.wsurl + "/TaskQueues", {"Ordering": "FriendlyName:desc"}))
        self.assertEqual(desc, sorted(desc, reverse=True))
        asc = names(s.get(s.wsurl + "/TaskQueues", {"Ordering": "FriendlyName:asc"}))
        self.assertEqual(asc, sorted(asc))
        self.err(s.get(s.wsurl + "/TaskQueues", {"Ordering": "Size:asc"}), 400, 20001, "Ordering")
        # filters survive paging
        page = self.ok(s.get(s.wsurl + "/TaskQueues", {"Ordering": "FriendlyName:asc", "PageSize": 2}))
        self.assertIn("Ordering=FriendlyName%3Aasc", page["meta"]["next_page_url"])
        nxt = self.ok(s.get(page["meta"]["next_page_url"]))
        self.assertEqual([q["friendly_name"] for q in nxt["task_queues"]], asc[2:4])

    # ---- TaskQueues: fetch, update, create, delete -------------------------
    def test_fetch_queue(self):
        s = self.sim
        q = self.ok(s.get(self.q(1)))
        self.assertEqual(q["sid"], s.queues[1])
        self.assertEqual(q["friendly_name"], "Support L1")
        self.assertEqual(q["target_workers"], 'skills HAS "support" AND languages HAS "en"')
        self.assertEqual(q["task_order"], "FIFO")
        self.assertEqual(q["url"], self.q(1))
        self.assertEqual(q["links"]["real_time_statistics"], self.q(1) + "/RealTimeStatistics")
        self.assertEqual(q["date_created"], START)
        vip = self.ok(s.get(self.q(5)))
        self.assertEqual(vip["reservation_activity_name"], "Reserved")
        self.assertEqual(vip["assignment_activity_name"], "On a call")
        self.assertEqual(vip["max_reserved_workers"], 3)
        self.assertEqual(self.ok(s.get(self.q(4)))["task_order"], "LIFO")

    def test_update_validation(self):
        s = self.sim
        cases = [
            ({"MaxReservedWorkers": "0"}, "MaxReservedWorkers"),
            ({"MaxReservedWorkers": "51"}, "1..50"),
            ({"MaxReservedWorkers": "two"}, "MaxReservedWorkers"),
            ({"TaskOrder": "RANDOM"}, "FIFO or LIFO"),
            ({"TargetWorkers": "skills HAS"}, "Invalid TargetWorkers: col "),
            ({"TargetWorkers": "task.x == 1"}, "TargetWorkers"),
            ({"ReservationActivitySid": "WA" + "0" * 32}, "ReservationActivitySid"),
            ({"AssignmentActivitySid": "nope"}, "AssignmentActivitySid"),
            ({"FriendlyName": ""}, "FriendlyName"),
            ({"FriendlyName": "x" * 65}, "FriendlyName"),
            ({"FriendlyName": "\u00e9" * 65}, "1 to 64 characters"),
        ]
        before = self.ok(s.get(self.q(3)))
        for form, needle in cases:
            self.err(s.post(self.q(3), form), 400, 20001, needle)
        self.assertEqual(self.ok(s.get(self.q(3))), before)

    def test_update_and_eligibility(self):
        s = self.sim
        acts = {a["friendly_name"]: a["sid"] for a in self.ok(s.get(s.wsurl + "/Activities"))["activities"]}
        expr = 'languages HAS "fr"'
        q = self.ok(s.post(self.q(3), {"MaxReservedWorkers": "5", "TaskOrder": "LIFO", "TargetWorkers": expr,
                                       "ReservationActivitySid": acts["Reserved"]}))
        self.assertEqual(q["max_reserved_workers"], 5)
        self.assertEqual(q["task_order"], "LIFO")
        self.assertEqual(q["target_workers"], expr)
        self.assertEqual(q["reservation_activity_sid"], acts["Reserved"])
        self.assertEqual(self.ok(s.get(self.q(3))), q)
        french = self.ok(s.get(s.wsurl + "/Workers", {"TargetWorkersExpression": expr, "PageSize": 100}))["workers"]
        rt = self.ok(s.get(self.q(3) + "/RealTimeStatistics"))
        self.assertEqual(rt["total_eligible_workers"], len(french))
        self.assertEqual(rt["total_available_workers"], sum(w["available"] for w in french))
        # Clearing an activity with an empty value
        q = self.ok(s.post(self.q(3), {"ReservationActivitySid": "", "FriendlyName": "Billing FR"}))
        self.assertIsNone(q["reservation_activity_sid"])
        self.assertEqual(q["friendly_name"], "Billing FR")
        # 64 characters is the limit, counted as characters, not bytes
        name = "\u00c9quipe " + "\u00e9" * 57
        self.assertEqual(self.ok(s.post(self.q(3), {"FriendlyName": name}))["friendly_name"], name)
        self.ok(s.post(self.q(3), {"FriendlyName": "Billing", "TargetWorkers": 'skills HAS "billing"',
                                    "MaxReservedWorkers": "1", "TaskOrder": "FIFO"}))

    def test_create_and_delete(self):
        s = self.sim
        self.err(s.post(s.wsurl + "/TaskQueues", {"TargetWorkers": "1==1"}), 400, 20001, "FriendlyName is required")
        self.err(s.post(s.wsurl + "/TaskQueues", {"FriendlyName": "X", "TargetWorkers": "a =="}), 400, 20001, "col ")
        q = self.ok(s.post(s.wsurl + "/TaskQueues", {"FriendlyName": "Escalations", "TargetWorkers": "level >= 5",
                                                     "TaskOrder": "LIFO"}), 201)
        self.assertTrue(q["sid"].startswith("WQ") and len(q["sid"]) == 34)
        self.assertEqual(q["max_reserved_workers"], 1)
        self.assertEqual(q["task_order"], "LIFO")
        url = s.wsurl + "/TaskQueues/" + q["sid"]
        self.assertEqual(self.ok(s.get(url)), q)
        lst = self.ok(s.get(s.wsurl + "/TaskQueues"))["task_queues"]
        self.assertEqual(lst[-1]["sid"], q["sid"])
        rt = self.ok(s.get(url + "/RealTimeStatistics"))
        lvl5 = self.ok(s.get(s.wsurl + "/Workers", {"TargetWorkersExpression": "level >= 5", "PageSize": 100}))
        self.assertEqual(rt["total_eligible_workers"], len(lvl5["workers"]))
        self.assertEqual(rt["total_tasks"], 0)
        r = s.delete(url)
        self.assertEqual(r.status, 204)
        self.assertEqual(r.body, b"")
        self.err(s.get(url), 404, 20404)
        self.err(s.delete(url), 404, 20404)
        self.err(s.get(url + "/RealTimeStatistics"), 404, 20404)
        self.assertEqual([x["sid"] for x in self.ok(s.get(s.wsurl + "/TaskQueues"))["task_queues"]], s.queues)
        # A deleted queue as a filter: Tasks still take it (it never had a
        # task here), the worker filters refuse it.
        for params in ({"TaskQueueSid": q["sid"]}, {"TaskQueueName": "Escalations"}):
            self.assertEqual(self.ok(s.get(s.wsurl + "/Tasks", params))["tasks"], [])
            self.err(s.get(s.wsurl + "/Workers", params), 400, 20001, "not a TaskQueue of this Workspace")
            self.err(s.get(s.wsurl + "/Workers/Statistics", params), 400, 20001, "not a TaskQueue of this Workspace")

    # ---- statistics ------------------------------------------------------
    def check_realtime(self, rt):
        self.assertGreaterEqual(rt["total_eligible_workers"], rt["total_available_workers"])
        self.assertEqual(sum(a["workers"] for a in rt["activity_statistics"]), rt["total_eligible_workers"])
        self.assertEqual(sum(rt["tasks_by_status"].values()), rt["total_tasks"])
        self.assertEqual(sum(rt["tasks_by_priority"].values()), rt["total_tasks"])
        self.assertEqual(sorted(rt["tasks_by_status"]), ["assigned", "pending", "reserved", "wrapping"])
        waiting = rt["tasks_by_status"]["pending"] + rt["tasks_by_status"]["reserved"]
        if waiting:
            self.assertTrue(rt["longest_task_waiting_sid"].startswith("WT"))
            self.assertGreaterEqual(rt["longest_task_waiting_age"], rt["longest_relative_task_age_in_queue"] - 0)
        else:
            self.assertIsNone(rt["longest_task_waiting_sid"])
            self.assertEqual(rt["longest_task_waiting_age"], 0)
        for v in list(rt["tasks_by_status"].values()) + [rt["total_tasks"]]:
            self.assertGreaterEqual(v, 0)

    def test_realtime(self):
        s = self.sim
        total = 0
        for i, sid in enumerate(s.queues):
            rt = self.ok(s.get(self.q(i) + "/RealTimeStatistics"))
            self.assertEqual(rt["task_queue_sid"], sid)
            self.assertEqual(rt["url"], self.q(i) + "/RealTimeStatistics")
            self.check_realtime(rt)
            total += rt["total_tasks"]
            by_ch = [self.ok(s.get(self.q(i) + "/RealTimeStatistics", {"TaskChannel": c}))
                     for c in ("voice", "chat", "sms")]
            for x in by_ch:
                self.check_realtime(x)
                self.assertEqual(x["total_eligible_workers"], rt["total_eligible_workers"])
            self.assertEqual(sum(x["total_tasks"] for x in by_ch), rt["total_tasks"])
        self.assertGreater(total, 0, "the demo has tasks in its queues after the warm-up")
        chans = self.ok(s.get(s.wsurl + "/TaskChannels"))["channels"]
        voice = [c for c in chans if c["unique_name"] == "voice"][0]
        self.assertEqual(self.ok(s.get(self.q() + "/RealTimeStatistics", {"TaskChannel": voice["sid"]})),
                         dict(self.ok(s.get(self.q() + "/RealTimeStatistics", {"TaskChannel": "voice"}))))
        self.err(s.get(self.q() + "/RealTimeStatistics", {"TaskChannel": "fax"}), 400, 20001, "TaskChannel")

    def test_cumulative_windows(self):
        s = self.sim
        c = self.ok(s.get(self.q() + "/CumulativeStatistics"))
        self.assertEqual(c["end_time"], EPOCH)
        self.assertEqual(c["start_time"], "2024-03-01T11:45:00Z")
        self.assertIsNone(c["split_by_wait_time"])
        c = self.ok(s.get(self.q() + "/CumulativeStatistics", {"Minutes": 60}))
        self.assertEqual(c["start_time"], START)
        c = self.ok(s.get(self.q() + "/CumulativeStatistics", {"StartDate": "2024-03-01T11:30:00Z",
                                                                  "EndDate": "2024-03-01T11:50:00Z"}))
        self.assertEqual((c["start_time"], c["end_time"]), ("2024-03-01T11:30:00Z", "2024-03-01T11:50:00Z"))
        bad = [
            ({"Minutes": 10, "StartDate": START}, "Minutes cannot be combined"),
            ({"Minutes": 10, "EndDate": EPOCH}, "Minutes cannot be combined"),
            ({"Minutes": 0}, "Minutes"),
            ({"Minutes": 43201}, "Minutes"),
            ({"Minutes": "ten"}, "Minutes"),
            ({"StartDate": "yesterday"}, "StartDate"),
            ({"EndDate": "2024-13-01T00:00:00Z"}, "EndDate"),
            ({"StartDate": "2024-01-01T00:00:00Z"}, "30 days"),
            ({"StartDate": "2024-03-01T11:50:00Z", "EndDate": "2024-03-01T11:40:00Z"}, "before EndDate"),
            ({"SplitByWaitTime": "5,x"}, "SplitByWaitTime"),
            ({"SplitByWaitTime": "5,"}, "SplitByWaitTime"),
            ({"SplitByWaitTime": "0"}, "1..2592000"),
            ({"SplitByWaitTime": ",".join(str(i) for i in range(1, 1002))}, "more than 1000 thresholds"),
            ({"TaskChannel": "pigeon"}, "TaskChannel"),
        ]
        for path in ("/CumulativeStatistics", "/Statistics"):
            for params, needle in bad:
                self.err(s.get(self.q() + path, params), 400, 20001, needle)
        for params, needle in bad:
            self.err(s.get(s.wsurl + "/TaskQueues/Statistics", params), 400, 20001, needle)

    def test_many_split_thresholds(self):
        """TaskRouter documents no limit on SplitByWaitTime thresholds:
        eleven (once refused) and a thousand work, in the order given, and
        agree with the same thresholds asked one by one."""
        s = self.sim
        for thresholds in ([7, 3, 11, 1, 2, 4, 5, 6, 8, 9, 10], list(range(1000, 0, -1))):
            c = self.ok(s.get(self.q(1) + "/CumulativeStatistics",
                              {"Minutes": 60, "SplitByWaitTime": ",".join(map(str, thresholds))}))
            self.assertEqual(list(c["split_by_wait_time"]), [str(t) for t in thresholds])
            for t in (thresholds[0], thresholds[-1], 5):
                one = self.ok(s.get(self.q(1) + "/CumulativeStatistics",
                                    {"Minutes": 60, "SplitByWaitTime": str(t)}))
                self.assertEqual(c["split_by_wait_time"][str(t)], one["split_by_wait_time"][str(t)], t)

    def test_cumulative_consistency(self):
        """Over the whole history: entered = completed + canceled + deleted
        + moved + still in queue; splits partition their counts."""
        s = self.sim
        moved = 0
        for i in range(len(s.queues)):
            c = self.ok(s.get(self.q(i) + "/CumulativeStatistics", {"StartDate": START, "EndDate": EPOCH,
                                                                      "SplitByWaitTime": "10,30,120"}))
            rt = self.ok(s.get(self.q(i) + "/RealTimeStatistics"))
            self.assertGreater(c["tasks_entered"], 0)
            self.assertEqual(c["tasks_entered"], c["tasks_completed"] + c["tasks_canceled"] + c["tasks_deleted"]
                             + c["tasks_moved"] + rt["total_tasks"], (i, c, rt))
            moved += c["tasks_moved"]
            ended = (c["reservations_accepted"] + c["reservations_rejected"] + c["reservations_timed_out"]
                     + c["reservations_canceled"] + c["reservations_rescinded"])
            self.assertGreaterEqual(c["reservations_created"], ended)
            self.assertLessEqual(c["reservations_created"] - ended, rt["tasks_by_status"]["reserved"] * 50)
            self.assertEqual(sorted(c["split_by_wait_time"]), ["10", "120", "30"])
            for t, sp in c["split_by_wait_time"].items():
                self.assertEqual(sp["above"]["reservations_accepted"] + sp["below"]["reservations_accepted"],
                                 c["reservations_accepted"])
                self.assertEqual(sp["above"]["tasks_canceled"] + sp["below"]["tasks_canceled"],
                                 c["tasks_canceled"])
            w = c["wait_duration_until_accepted"]
            if c["reservations_accepted"]:
                self.assertLessEqual(w["min"], w["avg"])
                self.assertLessEqual(w["avg"], w["max"])
                self.assertEqual(c["avg_task_acceptance_time"], w["avg"])
                self.assertLessEqual(c["wait_duration_in_queue_until_accepted"]["total"], w["total"])
            # channels partition the counts
            parts = [self.ok(s.get(self.q(i) + "/CumulativeStatistics",
                                   {"StartDate": START, "EndDate": EPOCH, "TaskChannel": ch}))
                     for ch in ("voice", "chat", "sms")]
            for k in ("tasks_entered", "tasks_completed", "reservations_created", "reservations_accepted"):
                self.assertEqual(sum(p[k] for p in parts), c[k], k)
        self.assertGreater(moved, 0, "Support L1 overflows to Support L2 in the demo")

    def test_statistics_and_list(self):
        s = self.sim
        st = self.ok(s.get(self.q(2) + "/Statistics", {"Minutes": 30, "SplitByWaitTime": "20"}))
        self.assertEqual(st["url"], self.q(2) + "/Statistics")
        cu = self.ok(s.get(self.q(2) + "/CumulativeStatistics", {"Minutes": 30, "SplitByWaitTime": "20"}))
        rt = self.ok(s.get(self.q(2) + "/RealTimeStatistics"))
        for k, v in st["cumulative"].items():
            self.assertEqual(cu[k], v, k)
        for k, v in st["realtime"].items():
            self.assertEqual(rt[k], v, k)
        lst = self.ok(s.get(s.wsurl + "/TaskQueues/Statistics", {"Minutes": 30, "SplitByWaitTime": "20"}))
        self.assertEqual(lst["meta"]["key"], "task_queues_statistics")
        items = lst["task_queues_statistics"]
        self.assertEqual([x["task_queue_sid"] for x in items], s.queues)
        self.assertEqual(items[2]["cumulative"], st["cumulative"])
        self.assertNotIn("url", items[2])
        one = self.ok(s.get(s.wsurl + "/TaskQueues/Statistics", {"FriendlyName": "VIP"}))
        self.assertEqual([x["task_queue_sid"] for x in one["task_queues_statistics"]], [s.queues[5]])
        p = self.ok(s.get(s.wsurl + "/TaskQueues/Statistics", {"PageSize": 5, "Minutes": 30}))
        self.assertIn("Minutes=30", p["meta"]["next_page_url"])
        p2 = self.ok(s.get(p["meta"]["next_page_url"]))
        self.assertEqual([x["task_queue_sid"] for x in p2["task_queues_statistics"]], s.queues[5:])

    def test_bulk_realtime(self):
        s = self.sim
        url = s.wsurl + "/TaskQueues/RealTimeStatistics"
        for key in ("QueueSids", "queueSids"):
            b = self.ok(s.post(url, None, json_body={key: s.queues[:2]}))
            self.assertEqual(b["task_queue_response_count"], 2)
            self.assertEqual(b["url"], url)
            for i, item in enumerate(b["task_queue_data"]):
                rt = self.ok(s.get(self.q(i) + "/RealTimeStatistics"))
                self.assertEqual(item["task_queue_sid"], s.queues[i])
                for k in ("total_tasks", "total_eligible_workers", "tasks_by_status", "activity_statistics",
                          "longest_task_waiting_sid"):
                    self.assertEqual(item[k], rt[k], k)
        form = self.ok(s.post(url, {"QueueSids": s.queues[2:5]}))
        self.assertEqual([x["task_queue_sid"] for x in form["task_queue_data"]], s.queues[2:5])
        other = "WQ" + "a" * 32
        z = self.ok(s.post(url, None, json_body={"QueueSids": [other]}))["task_queue_data"][0]
        self.assertEqual((z["task_queue_sid"], z["total_tasks"], z["total_eligible_workers"]), (other, 0, 0))
        self.err(s.post(url, None, json_body={"QueueSids": []}), 400, 20001, "1 to 50")
        self.err(s.post(url, None, json_body={"QueueSids": [s.queues[0]] * 51}), 400, 20001, "1 to 50")
        self.err(s.post(url, None, json_body={"QueueSids": ["WQ123"]}), 400, 20001, "WQ123")
        self.err(s.post(url, None, json_body={"Sids": s.queues}), 400, 20001, "QueueSids")
        self.err(s.post(url, None, raw_body=b"{oops", headers={"Content-Type": "application/json"}), 400, 20001)

    # ---- Workers, Activities, TaskChannels ---------------------------------
    def test_workers(self):
        s = self.sim
        lst = self.ok(s.get(s.wsurl + "/Workers"))
        self.assertEqual(lst["meta"]["key"], "workers")
        workers = lst["workers"]
        self.assertEqual(len(workers), 40)
        seen, url = [], s.wsurl + "/Workers?PageSize=15"
        while url:
            page = self.ok(s.get(url))
            seen += [w["sid"] for w in page["workers"]]
            url = page["meta"]["next_page_url"]
        self.assertEqual(seen, [w["sid"] for w in workers])
        for w in workers:
            self.assertIsInstance(json.loads(w["attributes"]), dict)
        avail = self.ok(s.get(s.wsurl + "/Workers", {"Available": "true", "PageSize": 100}))["workers"]
        self.assertEqual(len(avail), sum(w["available"] for w in workers))
        self.assertTrue(all(w["available"] for w in avail))
        not_avail = self.ok(s.get(s.wsurl + "/Workers", {"Available": "false", "PageSize": 100}))["workers"]
        self.assertEqual(len(avail) + len(not_avail), 40)
        off = self.ok(s.get(s.wsurl + "/Workers", {"ActivityName": "Offline", "PageSize": 100}))["workers"]
        self.assertEqual(len(off), sum(w["activity_name"] == "Offline" for w in workers))
        es = self.ok(s.get(s.wsurl + "/Workers", {"TargetWorkersExpression": 'languages HAS "es"',
                                                  "PageSize": 100}))["workers"]
        self.assertEqual(len(es), sum("es" in json.loads(w["attributes"])["languages"] for w in workers))
        self.assertGreater(len(es), 0)
        self.err(s.get(s.wsurl + "/Workers", {"TargetWorkersExpression": "languages HAS"}), 400, 20001,
                 "Invalid TargetWorkersExpression: col ")
        rt = self.ok(s.get(self.q(4) + "/RealTimeStatistics"))
        elig = self.ok(s.get(s.wsurl + "/Workers", {"TaskQueueSid": s.queues[4], "PageSize": 100}))["workers"]
        self.assertEqual(len(elig), rt["total_eligible_workers"])
        by_name = self.ok(s.get(s.wsurl + "/Workers", {"TaskQueueName": "Spanish", "PageSize": 100}))["workers"]
        self.assertEqual(by_name, elig)
        self.err(s.get(s.wsurl + "/Workers", {"TaskQueueSid": "WQ" + "0" * 32}), 400, 20001, "TaskQueueSid")
        # An unknown activity is refused like an unknown worker or queue,
        # not answered with an empty list.
        acts = self.ok(s.get(s.wsurl + "/Activities"))["activities"]
        by_sid = self.ok(s.get(s.wsurl + "/Workers", {"ActivitySid": acts[0]["sid"], "PageSize": 100}))["workers"]
        self.assertEqual(len(by_sid), sum(w["activity_sid"] == acts[0]["sid"] for w in workers))
        for params, needle in (({"ActivitySid": "bad"}, "Invalid ActivitySid 'bad'"),
                               ({"ActivitySid": "WA" + "0" * 32}, "not an Activity of this Workspace"),
                               ({"ActivityName": "Nope"}, "Invalid ActivityName 'Nope'")):
            self.err(s.get(s.wsurl + "/Workers", params), 400, 20001, needle)
        one = self.ok(s.get(s.wsurl + "/Workers/" + workers[7]["sid"]))
        self.assertEqual(one, workers[7])
        self.err(s.get(s.wsurl + "/Workers/WK" + "0" * 32), 404, 20404)
        names = [w["friendly_name"] for w in self.ok(s.get(s.wsurl + "/Workers", {"Ordering": "FriendlyName:asc",
                                                                                 "PageSize": 100}))["workers"]]
        self.assertEqual(names, sorted(names))

    def test_tasks_reservations_workflow(self):
        """The live tasks agree with the statistics; each reservation with
        its task and worker; the one workflow routes the scenario."""
        s = self.sim
        rt = self.ok(s.get(s.wsurl + "/RealTimeStatistics"))
        tasks, url = [], s.wsurl + "/Tasks?PageSize=7"
        while url:
            page = self.ok(s.get(url))
            tasks += page["tasks"]
            url = page["meta"]["next_page_url"]
        self.assertEqual(len(tasks), rt["total_tasks"])
        self.assertEqual(len({t["sid"] for t in tasks}), len(tasks))
        self.assertEqual([t["date_created"] for t in tasks], sorted(t["date_created"] for t in tasks))
        for st, n in rt["tasks_by_status"].items():
            got = self.ok(s.get(s.wsurl + "/Tasks", {"AssignmentStatus": st, "PageSize": 1000}))["tasks"]
            self.assertEqual(len(got), n, st)
            self.assertTrue(all(t["assignment_status"] == st for t in got))
        both = self.ok(s.get(s.wsurl + "/Tasks", {"AssignmentStatus": "pending,assigned", "PageSize": 1000}))
        self.assertEqual(len(both["tasks"]), rt["tasks_by_status"]["pending"] + rt["tasks_by_status"]["assigned"])
        self.assertEqual(self.ok(s.get(s.wsurl + "/Tasks", {"AssignmentStatus": "completed"}))["tasks"], [])
        for i in range(len(s.queues)):
            q = self.ok(s.get(self.q(i) + "/RealTimeStatistics"))
            got = self.ok(s.get(s.wsurl + "/Tasks", {"TaskQueueSid": s.queues[i], "PageSize": 1000}))["tasks"]
            self.assertEqual(len(got), q["total_tasks"], i)
        prio = self.ok(s.get(s.wsurl + "/Tasks", {"Ordering": "Priority:desc", "PageSize": 1000}))["tasks"]
        self.assertEqual([t["priority"] for t in prio], sorted((t["priority"] for t in tasks), reverse=True))
        origin = tasks[0]["attributes"]
        self.assertEqual(json.loads(origin), {"queue_sid": json.loads(origin)["queue_sid"]})
        ev = self.ok(s.get(s.wsurl + "/Tasks", {"EvaluateTaskAttributes": 'queue_sid == "%s"' % s.queues[1],
                                                "PageSize": 1000}))["tasks"]
        self.assertTrue(ev)
        self.assertTrue(all(json.loads(t["attributes"])["queue_sid"] == s.queues[1] for t in ev))
        one = self.ok(s.get(s.wsurl + "/Tasks/" + tasks[0]["sid"]))
        self.assertEqual(one, tasks[0])
        # Reservations: an assigned task has its accepted one, held by the
        # worker whose reservations list it too.
        for t in tasks:
            res = self.ok(s.get(s.wsurl + "/Tasks/%s/Reservations" % t["sid"]))["reservations"]
            if t["assignment_status"] in ("assigned", "wrapping"):
                self.assertEqual([r["reservation_status"] for r in res],
                                 ["accepted" if t["assignment_status"] == "assigned" else "wrapping"])
            elif t["assignment_status"] == "pending":
                self.assertEqual(res, [])
            else:
                self.assertTrue(res and all(r["reservation_status"] == "pending" for r in res))
            for r in res:
                self.assertEqual(r["task_sid"], t["sid"])
                mine = self.ok(s.get(s.wsurl + "/Workers/%s/Reservations" % r["worker_sid"]))["reservations"]
                self.assertIn(r["sid"], [m["sid"] for m in mine])
                self.assertEqual(self.ok(s.get(s.wsurl + "/Workers/%s/Reservations/%s" % (r["worker_sid"], r["sid"]))
                                         )["task_sid"], t["sid"])
        flows = self.ok(s.get(s.wsurl + "/Workflows"))["workflows"]
        self.assertEqual(len(flows), 1)
        conf = json.loads(flows[0]["configuration"])["task_routing"]
        self.assertEqual([f["targets"][0]["queue"] for f in conf["filters"]], s.queues)
        self.assertTrue(any(len(f["targets"]) == 2 for f in conf["filters"]), "the overflow is a second target")
        wrt = self.ok(s.get(s.wsurl + "/Workflows/%s/RealTimeStatistics" % flows[0]["sid"]))
        self.assertEqual((wrt["total_tasks"], wrt["tasks_by_status"]), (rt["total_tasks"], rt["tasks_by_status"]))
        self.assertEqual(self.ok(s.get(s.wsurl + "/Workflows", {"FriendlyName": "Nope"}))["workflows"], [])
        for url, params, needle in (
                ("/Tasks", {"AssignmentStatus": "pending,lost"}, "Invalid AssignmentStatus 'lost'"),
                ("/Tasks", {"TaskQueueSid": "WQ" + "0" * 32}, "TaskQueueSid"),
                ("/Tasks", {"WorkflowSid": "WW" + "0" * 32}, "WorkflowSid"),
                ("/Tasks", {"Priority": "high"}, "Priority"),
                ("/Tasks", {"Ordering": "Age"}, "Ordering"),
                ("/Tasks", {"EvaluateTaskAttributes": "queue_sid =="}, "EvaluateTaskAttributes"),
                ("/Workers/%s/Reservations" % tasks[0]["sid"].replace("WT", "WK"), {}, None)):
            r = s.get(s.wsurl + url, params)
            if needle:
                self.err(r, 400, 20001, needle)
            else:
                self.err(r, 404, 20404)
        self.err(s.get(s.wsurl + "/Tasks/WT" + "0" * 32), 404, 20404)
        self.err(s.get(s.wsurl + "/Workflows/WW" + "0" * 32), 404, 20404)
        self.err(s.post(s.wsurl + "/Tasks", {"Attributes": "{}"}), 405, 20004)

    def test_events(self):
        """Events match the statistics they are counted in, event for
        event, and the filters select what they say."""
        s = self.sim
        cu = self.ok(s.get(s.wsurl + "/CumulativeStatistics", {"Minutes": 30}))
        events, url = [], s.wsurl + "/Events?Minutes=30&PageSize=200"
        while url:
            page = self.ok(s.get(url))
            events += page["events"]
            url = page["meta"]["next_page_url"]
        self.assertEqual([e["event_date_ms"] for e in events], sorted(e["event_date_ms"] for e in events))
        self.assertEqual(len({e["sid"] for e in events}), len(events))
        count = lambda t: sum(e["event_type"] == t for e in events)  # noqa: E731
        for etype, key in (("task.created", "tasks_created"), ("task.canceled", "tasks_canceled"),
                           ("task.completed", "tasks_completed"), ("task.deleted", "tasks_deleted"),
                           ("task-queue.moved", "tasks_moved"), ("reservation.created", "reservations_created"),
                           ("reservation.accepted", "reservations_accepted"),
                           ("reservation.rejected", "reservations_rejected"),
                           ("reservation.timeout", "reservations_timed_out"),
                           ("reservation.canceled", "reservations_canceled"),
                           ("reservation.rescinded", "reservations_rescinded")):
            self.assertEqual(count(etype), cu[key], etype)
            typed = self.ok(s.get(s.wsurl + "/Events", {"Minutes": 30, "EventType": etype, "PageSize": 1000}))
            self.assertEqual(len(typed["events"]), cu[key], etype)
        self.assertGreater(count("task.created"), 0)
        self.assertEqual(count("task-queue.entered"), cu["tasks_created"] + cu["tasks_moved"])
        q = s.queues[1]
        qc = self.ok(s.get(self.q(1) + "/CumulativeStatistics", {"Minutes": 30}))
        byq = self.ok(s.get(s.wsurl + "/Events", {"Minutes": 30, "TaskQueueSid": q, "EventType": "task-queue.entered",
                                                  "PageSize": 1000}))["events"]
        self.assertEqual(len(byq), qc["tasks_entered"])
        w = next(e for e in events if e["event_type"] == "worker.activity.update")
        wk = w["event_data"]["worker_sid"]
        mine = self.ok(s.get(s.wsurl + "/Events", {"Minutes": 30, "WorkerSid": wk, "PageSize": 1000}))["events"]
        self.assertEqual(mine, [e for e in events if e["event_data"].get("worker_sid") == wk])
        t = next(e for e in events if e["event_type"] == "reservation.accepted")
        task = self.ok(s.get(s.wsurl + "/Events", {"Minutes": 30, "TaskSid": t["event_data"]["task_sid"]}))["events"]
        self.assertIn("reservation.accepted", [e["event_type"] for e in task])
        one = self.ok(s.get(s.wsurl + "/Events", {"Sid": t["sid"], "Minutes": 30}))["events"]
        self.assertEqual(one, [t])
        self.assertEqual(self.ok(s.get(s.wsurl + "/Events/" + t["sid"])), t)
        for params, needle in (({"TaskQueueSid": "WQ" + "0" * 32}, "TaskQueueSid"),
                               ({"WorkerSid": "nope"}, "WorkerSid"), ({"WorkflowSid": "WW1"}, "WorkflowSid"),
                               ({"Minutes": 0}, "Minutes"), ({"TaskChannel": "pigeon"}, "TaskChannel")):
            self.err(s.get(s.wsurl + "/Events", params), 400, 20001, needle)
        self.err(s.get(s.wsurl + "/Events/EV" + "0" * 32), 404, 20404)

    def test_activities_and_channels(self):
        s = self.sim
        acts = self.ok(s.get(s.wsurl + "/Activities"))
        self.assertEqual(acts["meta"]["key"], "activities")
        names = [a["friendly_name"] for a in acts["activities"]]
        self.assertEqual(names[:4], ["Offline", "Available", "Unavailable", "Break"])
        avail = self.ok(s.get(s.wsurl + "/Activities", {"Available": "true"}))["activities"]
        self.assertEqual([a["friendly_name"] for a in avail], ["Available"])
        one = self.ok(s.get(s.wsurl + "/Activities/" + acts["activities"][3]["sid"]))
        self.assertEqual(one["friendly_name"], "Break")
        self.assertFalse(one["available"])
        self.err(s.get(s.wsurl + "/Activities/WA" + "0" * 32), 404, 20404)
        ch = self.ok(s.get(s.wsurl + "/TaskChannels"))["channels"]
        self.assertEqual([c["unique_name"] for c in ch], ["voice", "chat", "sms"])
        self.assertEqual(self.ok(s.get(s.wsurl + "/TaskChannels/" + ch[1]["sid"]))["unique_name"], "chat")

    def test_odd_connections(self):
        """A connection closed before its first request, one closed in the
        middle of a request, and a pipelined pair: the server carries on."""
        s = self.sim
        host, port = s.url[len("http://"):].split(":")
        socket.create_connection((host, int(port))).close()
        c = socket.create_connection((host, int(port)))
        c.sendall(b"GET /v1/Workspaces HTTP/1.1\r\nHost: x\r\n")
        c.close()
        c = socket.create_connection((host, int(port)))
        c.sendall(b"POST /v1/Workspaces/%s/TaskQueues HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nFriendly"
                  % s.ws.encode())
        c.close()
        self.ok(s.get(s.wsurl))
        wait_for(lambda: s.state()["in_flight"] == 0, "abandoned requests to be dropped")
        import base64
        auth = base64.b64encode(("%s:%s" % (s.account, s.token)).encode())
        req = b"GET /v1/Workspaces/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\n\r\n" % (s.ws.encode(), auth)
        c = socket.create_connection((host, int(port)))
        c.settimeout(30)
        c.sendall(req + req)
        got = b""
        while got.count(b"HTTP/1.1 200") < 2:
            chunk = c.recv(65536)
            self.assertTrue(chunk, got)
            got += chunk
        c.close()

    def test_request_log(self):
        s = self.sim
        s.get(self.q() + "/RealTimeStatistics")
        line = [l for l in s.log().splitlines() if "/RealTimeStatistics 200 " in l]
        self.assertTrue(line, s.log()[-2000:])
        self.assertRegex(line[-1], r"GET /v1/Workspaces/WS\w+/TaskQueues/WQ\w+/RealTimeStatistics 200 \d+\.\dms$")


class History(unittest.TestCase):
    """The bounded history over HTTP: bounds older than the last hour count
    from the start of their minute (and say so in start_time), and windows
    reaching before what --history-mb kept are refused, not truncated."""

    EPOCH = "2024-03-01T12:00:30Z"	# not on a minute boundary

    def cumulative(self, sim, params):
        return sim.get(sim.wsurl + "/TaskQueues/%s/CumulativeStatistics" % sim.queues[0], params)

    def test_old_bounds_count_whole_minutes(self):
        sim = Sim("--seed", "4", "--epoch", self.EPOCH, "--paused", "--warmup", "240")
        try:
            h = sim.state()["engine"]["history"]
            self.assertEqual((h["raw_from"], h["kept_from"]), ("2024-03-01T11:00:00Z", None))
            c = self.cumulative(sim, {"Minutes": 240}).json()
            self.assertEqual((c["start_time"], c["end_time"]), ("2024-03-01T08:00:00Z", self.EPOCH))
            d = self.cumulative(sim, {"StartDate": "2024-03-01T08:00:00Z"}).json()
            self.assertEqual(c, d)
            self.assertGreater(c["tasks_entered"], 0)
            c = self.cumulative(sim, {"StartDate": "2024-03-01T09:10:59Z", "EndDate": "2024-03-01T10:20:01Z"}).json()
            self.assertEqual((c["start_time"], c["end_time"]), ("2024-03-01T09:10:00Z", "2024-03-01T10:20:00Z"))
            # within the last hour: exact to the second
            c = self.cumulative(sim, {"Minutes": 60}).json()
            self.assertEqual(c["start_time"], "2024-03-01T11:00:30Z")
        finally:
            sim.stop()

    def test_budget_refuses_what_it_dropped(self):
        # 0.07 MB: more than the last (raw) hour of queue histories and
        # worker logs (58 KB), which the budget never drops; less than all
        # 4 hours (98 KB).
        sim = Sim("--seed", "4", "--epoch", self.EPOCH, "--paused", "--warmup", "240", "--history-mb", "0.07")
        try:
            h = sim.state()["engine"]["history"]
            self.assertLessEqual(h["bytes"], 0.07 * 1048576)
            kept = h["kept_from"]
            self.assertIsNotNone(kept)
            self.assertGreater(kept, "2024-03-01T08:00:00Z")
            self.assertLessEqual(kept, h["raw_from"])
            r = self.cumulative(sim, {"StartDate": kept})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["start_time"], kept)
            for params in ({"Minutes": 241}, {"StartDate": "2024-03-01T08:00:00Z"}):
                r = self.cumulative(sim, params)
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["code"], 20001)
                self.assertIn("no longer keeps statistics that old", r.json()["message"])
                self.assertIn(kept, r.json()["message"])
        finally:
            sim.stop()


class Determinism(unittest.TestCase):
    """--seed N --epoch T --paused: two runs answer byte for byte the same
    (but for Date headers and the port in absolute URLs)."""

    def test_two_runs(self):
        runs = []
        for _ in range(2):
            sim = Sim("--seed", "11", "--epoch", EPOCH, "--paused", "--warmup", "90")
            try:
                paths = ["", "/TaskQueues", "/Workers?PageSize=7", "/Activities"]
                for sid in sim.queues:
                    paths += ["/TaskQueues/%s/RealTimeStatistics" % sid,
                              "/TaskQueues/%s/CumulativeStatistics?Minutes=90&SplitByWaitTime=15,60" % sid,
                              "/TaskQueues/%s/Statistics" % sid]
                bodies = []
                for p in paths:
                    r = sim.get(sim.wsurl + p)
                    self.assertEqual(r.status, 200, (p, r))
                    bodies.append(r.body.replace(sim.url.encode(), b"BASE"))
                runs.append(bodies)
            finally:
                sim.stop()
        self.assertEqual(runs[0], runs[1])


if __name__ == "__main__":
    unittest.main(verbosity=2)
