"""Conformance: every tqsim response body validated against its schema in
Twilio's OpenAPI spec (tests/fixtures/taskrouter/twilio_taskrouter_v1.json),
strictly: no field the spec does not declare, every declared field present;
the `links` of every resource with exactly the keys of the spec's examples
(the schema types links as a bare object, so the schema cannot catch a
missing link) and every link answering; every response header the spec
declares present; and the official Python helper library (Debian's
python3-twilio) driving tqsim with nothing changed but its base URL."""

import copy
import json
import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

import jsonschema
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import Sim, fixtures  # noqa: E402

with open(os.path.join(fixtures(), "taskrouter", "twilio_taskrouter_v1.json")) as f:
    SPEC = json.load(f)

EPOCH = datetime(2024, 6, 3, 9, 30, tzinfo=timezone.utc)

# Fields the spec declares on resources tqsim does not simulate in full;
# everything else must be present.
OPTIONAL = {
    "taskrouter.v1.workspace.worker": set(),
    "taskrouter.v1.workspace.task_channel": set(),
}


def openapi_to_jsonschema(node, strict):
    """OpenAPI 3.0 schema -> JSON Schema: nullable becomes a null type,
    $refs point into the converted components; with strict, objects with
    declared properties allow no others and require all of them."""
    if isinstance(node, list):
        return [openapi_to_jsonschema(x, strict) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: openapi_to_jsonschema(v, strict) for k, v in node.items()
           if k not in ("nullable", "x-twilio", "example", "description", "properties")}
    if isinstance(node.get("properties"), dict):
        # property names are data, not keywords: a field may be called
        # "description" (an Event's is)
        out["properties"] = {k: openapi_to_jsonschema(v, strict) for k, v in node["properties"].items()}
    if "$ref" in out:
        return {"$ref": out["$ref"].replace("#/components/schemas/", "#/definitions/")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = out["enum"] + [None]
        if "type" not in out and "enum" not in out:
            pass  # untyped: anything, null included
    if strict and isinstance(node.get("properties"), dict) and node["properties"]:
        out["additionalProperties"] = False
        out["required"] = sorted(node["properties"])
    return out


def validator(schema, strict=True, optional=()):
    definitions = {k: openapi_to_jsonschema(v, strict) for k, v in SPEC["components"]["schemas"].items()}
    for name, skip in OPTIONAL.items():
        definitions[name]["required"] = [f for f in definitions[name].get("required", []) if f not in skip]
    root = openapi_to_jsonschema(schema, strict)
    root = dict(root, definitions=definitions)
    cls = jsonschema.validators.validator_for(root)
    return cls(root, format_checker=jsonschema.FormatChecker())


def response_schema(template, method, status):
    op = SPEC["paths"][template][method.lower()]
    return op["responses"][str(status)]["content"]["application/json"]["schema"]


def spec_response(template, method, status):
    return SPEC["paths"][template][method.lower()]["responses"][str(status)]


def spec_link_keys(template, method, status):
    """The key sets of `links` in the spec's examples of this response:
    of the resource itself, or of the items of a list."""
    out = set()
    content = spec_response(template, method, status).get("content", {}).get("application/json", {})
    for ex in content.get("examples", {}).values():
        value = ex.get("value", {})
        items = [value]
        key = value.get("meta", {}).get("key") if isinstance(value, dict) else None
        if key:
            items = value.get(key, [])
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("links"), dict):
                out.add(frozenset(item["links"]))
    return out


def body_link_keys(body):
    """The same from a tqsim body.  A link to something the resource does
    not have (its K_sid is null, e.g. a queue without an assignment
    activity) cannot be a URL: it counts as present."""
    items = [body]
    key = body.get("meta", {}).get("key")
    if key:
        items = body.get(key, [])
    out = set()
    for i in items:
        if isinstance(i, dict) and "links" in i:
            absent = {k[:-4] for k, v in i.items() if k.endswith("_sid") and v is None}
            out.add(frozenset(set(i["links"]) | absent))
    return out


def spec_headers(template, method, status):
    return {h.lower() for h in spec_response(template, method, status).get("headers", {})}


ERROR_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["code", "message", "more_info", "status"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                   "more_info": {"type": "string", "format": "uri"}, "status": {"type": "integer"}},
}


class Conformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed", "21", "--epoch", EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ"), "--paused",
                      "--warmup", "120")
        cls.checked = set()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def check(self, template, method, url, status=200, **kw):
        """Body against the schema, links against the examples, headers
        against the declared ones."""
        s = self.sim
        r = s.request(method, url, **kw)
        self.assertEqual(r.status, status, (url, r))
        self.check_headers(template, method, status, r)
        if status == 204:
            return None
        body = r.json()
        v = validator(response_schema(template, method, status))
        errors = sorted(v.iter_errors(body), key=str)
        if errors:
            self.fail("%s %s: %d schema errors, first: %s at %s" % (
                method, url, len(errors), errors[0].message, list(errors[0].absolute_path)))
        want = spec_link_keys(template, method, status)
        got = body_link_keys(body)
        if want or got:
            self.assertTrue(got, "%s %s: no links in %r" % (method, url, body))
            for keys in got:
                self.assertIn(keys, want, "%s %s: links %s, the spec's examples have %s" % (
                    method, url, sorted(keys), [sorted(k) for k in want]))
        self.checked.add((template, method))
        return body

    def check_headers(self, template, method, status, r):
        declared = spec_headers(template, method, status)
        got = {k.lower() for k in r.headers.keys()}
        missing = declared - got
        self.assertFalse(missing, "%s %s: headers %s declared by the spec are missing" % (
            method, template, sorted(missing)))

    def test_schemas(self):
        s = self.sim
        W = "/v1/Workspaces/{WorkspaceSid}"
        ws = s.wsurl
        q = ws + "/TaskQueues/" + s.queues[1]
        self.check("/v1/Workspaces", "GET", s.url + "/v1/Workspaces")
        self.check("/v1/Workspaces/{Sid}", "GET", ws)
        self.check(W + "/TaskQueues", "GET", ws + "/TaskQueues", params={"PageSize": 2})
        self.check(W + "/TaskQueues", "GET", ws + "/TaskQueues",
                   params={"EvaluateWorkerAttributes": '{"skills":["support"],"languages":["en"]}'})
        self.check(W + "/TaskQueues/{Sid}", "GET", q)
        self.check(W + "/TaskQueues/{Sid}", "GET", ws + "/TaskQueues/" + s.queues[5])
        self.check(W + "/TaskQueues/{Sid}", "POST", q, data={"MaxReservedWorkers": "2"})
        created = self.check(W + "/TaskQueues", "POST", ws + "/TaskQueues", status=201,
                             data={"FriendlyName": "Conformance", "TargetWorkers": "level > 2"})
        self.check(W + "/TaskQueues/{Sid}", "DELETE", ws + "/TaskQueues/" + created["sid"], status=204)
        for params in ({}, {"Minutes": 120, "SplitByWaitTime": "10,60"}, {"TaskChannel": "chat"}):
            self.check(W + "/TaskQueues/{TaskQueueSid}/CumulativeStatistics", "GET", q + "/CumulativeStatistics",
                       params=params)
            self.check(W + "/TaskQueues/{TaskQueueSid}/Statistics", "GET", q + "/Statistics", params=params)
            self.check(W + "/TaskQueues/Statistics", "GET", ws + "/TaskQueues/Statistics", params=params)
        for params in ({}, {"TaskChannel": "voice"}):
            self.check(W + "/TaskQueues/{TaskQueueSid}/RealTimeStatistics", "GET", q + "/RealTimeStatistics",
                       params=params)
        self.check(W + "/TaskQueues/RealTimeStatistics", "POST", ws + "/TaskQueues/RealTimeStatistics",
                   json_body={"QueueSids": s.queues + ["WQ" + "b" * 32]})
        self.check(W + "/Workers", "GET", ws + "/Workers", params={"PageSize": 3})
        self.check(W + "/Workers", "GET", ws + "/Workers", params={"TargetWorkersExpression": 'languages HAS "fr"'})
        workers = s.get(ws + "/Workers").json()["workers"]
        self.check(W + "/Workers/{Sid}", "GET", ws + "/Workers/" + workers[0]["sid"])
        self.check(W + "/Activities", "GET", ws + "/Activities")
        acts = s.get(ws + "/Activities").json()["activities"]
        self.check(W + "/Activities/{Sid}", "GET", ws + "/Activities/" + acts[1]["sid"])
        self.check(W + "/TaskChannels", "GET", ws + "/TaskChannels")
        chans = s.get(ws + "/TaskChannels").json()["channels"]
        self.check(W + "/TaskChannels/{Sid}", "GET", ws + "/TaskChannels/" + chans[0]["sid"])
        for params in ({}, {"Minutes": 60, "SplitByWaitTime": "20"}, {"TaskChannel": "voice"}):
            self.check(W + "/Statistics", "GET", ws + "/Statistics", params=params)
            self.check(W + "/CumulativeStatistics", "GET", ws + "/CumulativeStatistics", params=params)
            self.check(W + "/Workers/Statistics", "GET", ws + "/Workers/Statistics", params=params)
            self.check(W + "/Workers/CumulativeStatistics", "GET", ws + "/Workers/CumulativeStatistics",
                       params=params)
            self.check(W + "/Workers/{WorkerSid}/Statistics", "GET",
                       ws + "/Workers/" + workers[2]["sid"] + "/Statistics", params=params)
        self.check(W + "/RealTimeStatistics", "GET", ws + "/RealTimeStatistics")
        self.check(W + "/Workers/RealTimeStatistics", "GET", ws + "/Workers/RealTimeStatistics")
        self.check(W + "/Workers/Statistics", "GET", ws + "/Workers/Statistics",
                   params={"TaskQueueSid": s.queues[0], "FriendlyName": workers[0]["friendly_name"]})
        wk = ws + "/Workers/" + workers[0]["sid"]
        self.check(W + "/Workers/{WorkerSid}/Channels", "GET", wk + "/Channels")
        wcs = s.get(wk + "/Channels").json()["channels"]
        self.check(W + "/Workers/{WorkerSid}/Channels/{Sid}", "GET", wk + "/Channels/" + wcs[1]["sid"])
        self.check(W + "/Workers/{WorkerSid}/Channels/{Sid}", "GET", wk + "/Channels/chat")
        tasks = self.check(W + "/Tasks", "GET", ws + "/Tasks", params={"PageSize": 5})["tasks"]
        self.check(W + "/Tasks", "GET", ws + "/Tasks", params={"AssignmentStatus": "pending,reserved",
                                                             "Ordering": "Priority:desc"})
        busy = s.get(ws + "/Tasks", {"AssignmentStatus": "assigned"}).json()["tasks"]
        self.assertTrue(tasks and busy)
        self.check(W + "/Tasks/{Sid}", "GET", ws + "/Tasks/" + busy[0]["sid"])
        res = self.check(W + "/Tasks/{TaskSid}/Reservations", "GET",
                         ws + "/Tasks/" + busy[0]["sid"] + "/Reservations")["reservations"]
        self.check(W + "/Tasks/{TaskSid}/Reservations/{Sid}", "GET",
                   ws + "/Tasks/" + busy[0]["sid"] + "/Reservations/" + res[0]["sid"])
        wk = ws + "/Workers/" + res[0]["worker_sid"]
        self.check(W + "/Workers/{WorkerSid}/Reservations", "GET", wk + "/Reservations")
        self.check(W + "/Workers/{WorkerSid}/Reservations/{Sid}", "GET", wk + "/Reservations/" + res[0]["sid"])
        flows = self.check(W + "/Workflows", "GET", ws + "/Workflows")["workflows"]
        ww = ws + "/Workflows/" + flows[0]["sid"]
        self.check(W + "/Workflows/{Sid}", "GET", ww)
        self.check(W + "/Workflows/{WorkflowSid}/RealTimeStatistics", "GET", ww + "/RealTimeStatistics")
        for params in ({}, {"Minutes": 60, "SplitByWaitTime": "20"}):
            self.check(W + "/Workflows/{WorkflowSid}/Statistics", "GET", ww + "/Statistics", params=params)
            self.check(W + "/Workflows/{WorkflowSid}/CumulativeStatistics", "GET", ww + "/CumulativeStatistics",
                       params=params)
        evs = self.check(W + "/Events", "GET", ws + "/Events", params={"PageSize": 20})["events"]
        self.check(W + "/Events", "GET", ws + "/Events", params={"Minutes": 120, "EventType": "worker.activity.update"})
        self.check(W + "/Events/{Sid}", "GET", ws + "/Events/" + evs[3]["sid"])
        # Every resource type tqsim serves had its links compared above.
        self.assertTrue({(W + "/Workers/{Sid}", "GET"), ("/v1/Workspaces/{Sid}", "GET"),
                         (W + "/TaskQueues/{Sid}", "GET"), (W + "/Activities/{Sid}", "GET"),
                         (W + "/TaskChannels/{Sid}", "GET"), (W + "/Tasks/{Sid}", "GET"),
                         (W + "/Workflows/{Sid}", "GET"), (W + "/Tasks/{TaskSid}/Reservations/{Sid}", "GET"),
                         (W + "/Workers/{WorkerSid}/Reservations/{Sid}", "GET")} <= self.checked)

    def test_links_resolve(self):
        """Every link of every resource tqsim serves answers 200."""
        s = self.sim
        ws = s.get(s.wsurl).json()
        worker = s.get(s.wsurl + "/Workers").json()["workers"][0]
        queue = s.get(s.wsurl + "/TaskQueues/" + s.queues[3]).json()
        act = s.get(s.wsurl + "/Activities").json()["activities"][0]
        chan = s.get(s.wsurl + "/TaskChannels").json()["channels"][0]
        task = s.get(s.wsurl + "/Tasks", {"AssignmentStatus": "assigned"}).json()["tasks"][0]
        res = s.get(task["links"]["reservations"]).json()["reservations"][0]
        flow = s.get(task["links"]["workflow"]).json()
        worker2 = s.get(res["links"]["worker"]).json()
        seen = 0
        for res in (ws, worker, queue, act, chan, task, res, flow, worker2):
            self.assertTrue(res.get("links"), res)
            for name, url in sorted(res["links"].items()):
                self.assertTrue(url.startswith(s.url + "/v1/"), (name, url))
                if name == "bulk_real_time_statistics":
                    r = s.post(url, json_body={"QueueSids": [s.queues[0]]})
                else:
                    r = s.get(url)
                self.assertEqual(r.status, 200, "%s link %s -> %r" % (name, url, r))
                seen += 1
        self.assertGreaterEqual(seen, 45)
        # An Event has no links, but URLs to itself, its actor and what it
        # is about (a worker always exists; a finished task is not kept).
        ev = s.get(s.wsurl + "/Events", {"EventType": "worker.activity.update", "Minutes": 120}).json()["events"][0]
        for key in ("url", "resource_url", "actor_url"):
            self.assertEqual(s.get(ev[key]).status, 200, (key, ev[key]))

    def test_link_and_header_checks_catch_drift(self):
        """The link and header comparisons are not vacuous."""
        W = "/v1/Workspaces/{WorkspaceSid}"
        want = spec_link_keys(W + "/Workers/{Sid}", "GET", 200)
        self.assertEqual(len(want), 1)
        keys = next(iter(want))
        self.assertIn("worker_statistics", keys)
        self.assertNotIn(keys - {"reservations"}, want)
        self.assertEqual(spec_link_keys("/v1/Workspaces", "GET", 200),
                         spec_link_keys("/v1/Workspaces/{Sid}", "GET", 200))
        self.assertTrue({"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-config"} <=
                        spec_headers(W + "/TaskQueues/{Sid}", "GET", 200))
        self.assertIn("etag", spec_headers(W + "/Workers/{Sid}", "GET", 200))
        r = self.sim.get(self.sim.wsurl + "/TaskQueues/" + self.sim.queues[0])
        del r.headers["X-Rate-Limit-Config"]
        with self.assertRaises(AssertionError):
            self.check_headers(W + "/TaskQueues/{Sid}", "GET", 200, r)

    def test_error_bodies(self):
        s = self.sim
        v = jsonschema.Draft7Validator(ERROR_SCHEMA, format_checker=jsonschema.FormatChecker())
        for r in (s.get(s.wsurl, auth=None), s.get(s.wsurl + "/TaskQueues/WQ" + "0" * 32),
                  s.post(s.wsurl + "/TaskQueues/" + s.queues[0], {"TaskOrder": "X"}),
                  s.request("PUT", s.wsurl + "/TaskQueues/" + s.queues[0], data={})):
            self.assertIn(r.status, (400, 401, 404, 405))
            v.validate(r.json())
            self.assertEqual(r.headers["Content-Type"], "application/json")

    def test_strict_validator_catches_drift(self):
        """The validator is not vacuous: an extra field, a missing field and
        a wrong type are each reported."""
        q = self.sim.get(self.sim.wsurl + "/TaskQueues/" + self.sim.queues[0]).json()
        v = validator(response_schema("/v1/Workspaces/{WorkspaceSid}/TaskQueues/{Sid}", "GET", 200))
        self.assertEqual(list(v.iter_errors(q)), [])
        for mutate in (lambda d: d.update(invented=1), lambda d: d.pop("target_workers"),
                       lambda d: d.update(max_reserved_workers="1"), lambda d: d.update(url="not a url"),
                       lambda d: d.update(task_order="RANDOM")):
            bad = copy.deepcopy(q)
            mutate(bad)
            self.assertTrue(list(v.iter_errors(bad)), bad)


class PythonClient(unittest.TestCase):
    """twilio-python 7.7.1 against tqsim: only base_url differs."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed", "22", "--epoch", EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ"), "--paused",
                      "--warmup", "120")
        cls.client = Client(cls.sim.account, cls.sim.token)
        cls.client.taskrouter.base_url = cls.sim.url
        cls.ws = cls.client.taskrouter.workspaces(cls.sim.ws)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def raw(self, path, params=None):
        r = self.sim.get(self.sim.wsurl + path, params)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_fetch(self):
        q = self.ws.task_queues(self.sim.queues[1]).fetch()
        raw = self.raw("/TaskQueues/" + self.sim.queues[1])
        self.assertEqual(q.sid, raw["sid"])
        self.assertEqual(q.friendly_name, "Support L1")
        self.assertEqual(q.target_workers, raw["target_workers"])
        self.assertEqual(q.max_reserved_workers, raw["max_reserved_workers"])
        self.assertEqual(q.task_order, "FIFO")
        self.assertEqual(q.date_created, EPOCH - timedelta(minutes=120))
        self.assertEqual(q.url, raw["url"])
        self.assertEqual(q.links["statistics"], raw["links"]["statistics"])
        w = self.client.taskrouter.workspaces(self.sim.ws).fetch()
        self.assertEqual(w.friendly_name, "Acme Support Centre")

    def test_update_and_errors(self):
        ctx = self.ws.task_queues(self.sim.queues[2])
        q = ctx.update(friendly_name="Support L2 (edited)", max_reserved_workers=4, task_order="LIFO",
                       target_workers='skills HAS "support" AND level >= 2')
        self.assertEqual((q.friendly_name, q.max_reserved_workers, q.task_order),
                         ("Support L2 (edited)", 4, "LIFO"))
        self.assertEqual(ctx.fetch().target_workers, 'skills HAS "support" AND level >= 2')
        with self.assertRaises(TwilioRestException) as cm:
            ctx.update(max_reserved_workers=51)
        self.assertEqual((cm.exception.status, cm.exception.code), (400, 20001))
        self.assertIn("MaxReservedWorkers", cm.exception.msg)
        with self.assertRaises(TwilioRestException) as cm:
            ctx.update(target_workers="skills HAS")
        self.assertIn("col ", cm.exception.msg)
        with self.assertRaises(TwilioRestException) as cm:
            self.ws.task_queues("WQ" + "0" * 32).fetch()
        self.assertEqual((cm.exception.status, cm.exception.code), (404, 20404))
        bad = Client(self.sim.account, "f" * 32)
        bad.taskrouter.base_url = self.sim.url
        with self.assertRaises(TwilioRestException) as cm:
            bad.taskrouter.workspaces(self.sim.ws).task_queues(self.sim.queues[0]).fetch()
        self.assertEqual((cm.exception.status, cm.exception.code), (401, 20003))
        with self.assertRaises(TwilioException) as cm:
            bad.taskrouter.workspaces(self.sim.ws).task_queues.list()
        self.assertIn("HTTP 401", str(cm.exception))
        key = Client(self.sim.api_key, self.sim.api_secret, self.sim.account)
        key.taskrouter.base_url = self.sim.url
        self.assertEqual(len(key.taskrouter.workspaces(self.sim.ws).task_queues.list()), 6)

    def test_list_across_pages(self):
        qs = self.ws.task_queues.list(page_size=2)
        self.assertEqual([q.sid for q in qs], self.sim.queues)
        page = self.ws.task_queues.page(page_size=4)
        self.assertEqual(len(list(page)), 4)
        nxt = page.next_page()
        self.assertEqual([q.sid for q in nxt], self.sim.queues[4:])
        self.assertIsNone(nxt.next_page())
        self.assertEqual([q.friendly_name for q in self.ws.task_queues.list(friendly_name="VIP")], ["VIP"])
        workers = self.ws.workers.list(page_size=7)
        self.assertEqual(len(workers), 40)
        self.assertEqual(len({w.sid for w in workers}), 40)
        fr = self.ws.workers.list(target_workers_expression='languages HAS "fr"')
        self.assertEqual(len(fr), sum("fr" in json.loads(w.attributes)["languages"] for w in workers))
        self.assertEqual([a.friendly_name for a in self.ws.activities.list(available="true")], ["Available"])

    def test_create_and_delete(self):
        q = self.ws.task_queues.create(friendly_name="Python", target_workers="level >= 4")
        self.assertTrue(q.sid.startswith("WQ"))
        self.assertTrue(self.ws.task_queues(q.sid).delete())
        with self.assertRaises(TwilioRestException) as cm:
            self.ws.task_queues(q.sid).fetch()
        self.assertEqual(cm.exception.status, 404)

    def test_statistics(self):
        sid = self.sim.queues[0]
        ctx = self.ws.task_queues(sid)
        start, end = EPOCH - timedelta(minutes=90), EPOCH - timedelta(minutes=10)
        cu = ctx.cumulative_statistics().fetch(start_date=start, end_date=end, split_by_wait_time="10,60")
        raw = self.raw("/TaskQueues/%s/CumulativeStatistics" % sid,
                       {"StartDate": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "EndDate": end.strftime("%Y-%m-%dT%H:%M:%SZ"), "SplitByWaitTime": "10,60"})
        self.assertGreater(cu.tasks_entered, 0)
        for k in ("tasks_entered", "tasks_completed", "tasks_canceled", "reservations_accepted",
                  "avg_task_acceptance_time", "wait_duration_until_accepted", "split_by_wait_time"):
            self.assertEqual(getattr(cu, k), raw[k], k)
        self.assertEqual((cu.start_time, cu.end_time), (start, end))
        cu = ctx.cumulative_statistics().fetch(minutes=30, task_channel="voice")
        self.assertEqual(cu.end_time - cu.start_time, timedelta(minutes=30))
        rt = ctx.real_time_statistics().fetch()
        raw = self.raw("/TaskQueues/%s/RealTimeStatistics" % sid)
        for k in ("total_tasks", "total_eligible_workers", "total_available_workers", "tasks_by_status",
                  "tasks_by_priority", "activity_statistics", "longest_task_waiting_sid", "longest_task_waiting_age"):
            self.assertEqual(getattr(rt, k), raw[k], k)
        rtv = ctx.real_time_statistics().fetch(task_channel="voice")
        self.assertLessEqual(rtv.total_tasks, rt.total_tasks)
        st = ctx.statistics().fetch(minutes=60, split_by_wait_time="30")
        self.assertEqual(st.realtime["total_tasks"], rt.total_tasks)
        self.assertEqual(st.cumulative["tasks_entered"],
                         self.raw("/TaskQueues/%s/CumulativeStatistics" % sid, {"Minutes": 60})["tasks_entered"])
        items = self.ws.task_queues.statistics.list(minutes=60, page_size=4)
        self.assertEqual([i.task_queue_sid for i in items], self.sim.queues)
        self.assertEqual(items[0].realtime["total_tasks"], rt.total_tasks)
        with self.assertRaises(TwilioRestException) as cm:
            ctx.cumulative_statistics().fetch(minutes=10, start_date=start)
        self.assertEqual(cm.exception.status, 400)

    def test_workspace_and_worker_statistics(self):
        """The statistics the Workspace and Worker links point to, through
        the official client; figures agree with each other."""
        ws = self.ws
        st = ws.statistics().fetch(minutes=60)
        cu = ws.cumulative_statistics().fetch(minutes=60)
        rt = ws.real_time_statistics().fetch()
        self.assertEqual(st.cumulative["tasks_created"], cu.tasks_created)
        self.assertGreater(cu.tasks_created, 0)
        self.assertEqual(st.realtime["total_tasks"], rt.total_tasks)
        self.assertEqual(rt.total_workers, 40)
        self.assertEqual(sum(a["workers"] for a in rt.activity_statistics), 40)
        queued = sum(self.ws.task_queues(q).real_time_statistics().fetch().total_tasks for q in self.sim.queues)
        self.assertEqual(rt.total_tasks, queued)
        worker = ws.workers.list(limit=1)[0]
        wst = ws.workers.statistics().fetch(minutes=60)
        # twilio-python 7 reaches these two from a Worker; the URL is the
        # collection's (Workers/CumulativeStatistics).
        wcu = ws.workers(worker.sid).cumulative_statistics().fetch(minutes=60)
        wrt = ws.workers(worker.sid).real_time_statistics().fetch()
        self.assertEqual(wst.realtime["total_workers"], wrt.total_workers)
        self.assertEqual(wcu.reservations_created, cu.reservations_created)
        self.assertEqual(wcu.reservations_accepted, cu.reservations_accepted)
        # 40 workers, one hour: 40 worker-hours split among the activities
        self.assertAlmostEqual(sum(a["total"] for a in wcu.activity_durations), 40 * 3600, delta=len(wcu.activity_durations))
        one = ws.workers(worker.sid).statistics().fetch(minutes=60)
        self.assertEqual(one.worker_sid, worker.sid)
        self.assertAlmostEqual(sum(a["total"] for a in one.cumulative["activity_durations"]), 3600,
                               delta=len(one.cumulative["activity_durations"]))
        chans = ws.workers(worker.sid).worker_channels.list()
        self.assertEqual(len(ws.tasks.list()), rt.total_tasks)
        busy = ws.tasks.list(assignment_status=["assigned"], limit=1)[0]
        self.assertEqual(ws.tasks(busy.sid).fetch().task_queue_sid, busy.task_queue_sid)
        res = ws.tasks(busy.sid).reservations.list()
        self.assertEqual([r.reservation_status for r in res], ["accepted"])
        mine = ws.workers(res[0].worker_sid).reservations.list()
        self.assertIn(res[0].sid, [r.sid for r in mine])
        flow = ws.workflows.list()[0]
        self.assertEqual(ws.workflows(flow.sid).fetch().friendly_name, flow.friendly_name)
        self.assertEqual(ws.workflows(flow.sid).real_time_statistics().fetch().total_tasks, rt.total_tasks)
        self.assertEqual(ws.workflows(flow.sid).cumulative_statistics().fetch(minutes=60).tasks_entered,
                         cu.tasks_created)
        created = ws.events.list(minutes=60, event_type="task.created")
        self.assertEqual(len(created), cu.tasks_created)
        self.assertEqual(ws.events(created[0].sid).fetch().event_data["task_sid"], created[0].resource_sid)
        self.assertEqual(sorted(c.task_channel_unique_name for c in chans), ["chat", "sms", "voice"])
        self.assertEqual(ws.workers(worker.sid).worker_channels(chans[0].sid).fetch().sid, chans[0].sid)


if __name__ == "__main__":
    unittest.main(verbosity=2)
