"""n8n forms over HTTP: a two-page form (Form Trigger → Form page → Form ending) filled like a
browser without JavaScript does it (plain form posts, redirects followed), the durable run
waiting between pages; field types and the item shapes n8n produces."""

from __future__ import annotations

import re

import httpx
import pytest
from temporalio.client import Client

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.builders import node
from tests.chat.conftest import StackFactory
from tests.pdf_fixture import pdf_bytes
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")


def _fields(*fields: dict) -> dict:
    return {"values": list(fields)}


def _two_page_form(version: float = 2.2) -> dict:
    trigger = node(
        "Form Trigger",
        "formTrigger",
        version,
        0,
        path="signup",
        formTitle="Sign up",
        formDescription="Tell us about you",
        formFields=_fields(
            {"fieldLabel": "Name", "requiredField": True, "placeholder": "Ada"},
            {"fieldLabel": "Age", "fieldType": "number"},
            {"fieldLabel": "Email", "fieldType": "email"},
            {"fieldLabel": "Password", "fieldType": "password"},
            {
                "fieldLabel": "Plan",
                "fieldType": "dropdown",
                "fieldOptions": {"values": [{"option": "Free"}, {"option": "Pro"}]},
            },
            {
                "fieldLabel": "Topics",
                "fieldType": "dropdown",
                "multiselect": True,
                "fieldOptions": {"values": [{"option": "AI"}, {"option": "Data"}, {"option": "Ops"}]},
            },
            {"fieldLabel": "Birthday", "fieldType": "date"},
            {"fieldLabel": "Source", "fieldType": "hiddenField", "fieldName": "source", "fieldValue": "web"},
        ),
    )
    trigger["webhookId"] = "form-hook-1"
    page = node(
        "More",
        "form",
        1,
        200,
        formFields=_fields(
            {"fieldLabel": "Comments", "fieldType": "textarea"},
            {
                "fieldLabel": "Rating",
                "fieldType": "radio",
                "fieldOptions": {"values": [{"option": "1"}, {"option": "5"}]},
            },
            {"fieldLabel": "Agree", "fieldType": "checkbox", "fieldOptions": {"values": [{"option": "Yes"}]}},
        ),
        options={"formTitle": "Page two of {{ $json.Name }}", "buttonLabel": "Next"},
    )
    page["parameters"]["options"]["formTitle"] = "=Page two of {{ $json.Name }}"
    page["parameters"]["options"]["formDescription"] = "=This page: {{ $execution.resumeFormUrl }}"
    ending = node(
        "Done",
        "form",
        1,
        400,
        operation="completion",
        completionTitle="=Thanks {{ $('Form Trigger').first().json.Name }}",
        completionMessage="=You rated {{ $json.Rating }}",
    )
    names = ["Form Trigger", "More", "Done"]
    return {
        "id": "wf-form",
        "name": "two-page form",
        "nodes": [trigger, page, ending],
        "connections": {
            a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
            for a, b in zip(names, names[1:], strict=False)
        },
        "settings": {"executionOrder": "v1", "timezone": "Europe/Berlin"},
    }


async def test_two_page_form_continues_the_durable_run(chat_stack: StackFactory, client: Client) -> None:
    async with chat_stack([_two_page_form()]) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            page = await http.get("/form/signup?Name=Grace")
            assert page.status_code == 200 and "<h1>Sign up</h1>" in page.text
            assert 'name="field-0"' in page.text and 'value="Grace"' in page.text  # query prefills
            assert (
                'type="email"' in page.text and 'type="password"' in page.text and 'type="date"' in page.text
            )
            assert '<input type="hidden" name="field-7" value="web">' in page.text
            first = {
                "field-0": " Ada ",
                "field-1": "36",
                "field-2": "ada@example.com",
                "field-3": "s3cret",
                "field-4": "Pro",
                "field-5": ["AI", "Ops"],
                "field-6": "1815-12-10",
                "field-7": "web",
            }
            answer = await http.post("/form/signup", data=first)
            assert answer.status_code == 303
            waiting = answer.headers["location"]
            assert waiting.startswith("/form-waiting/form-")
            execution_id = waiting.rsplit("/", 1)[1]
            second = await http.get(waiting)
            assert second.status_code == 200
            assert "<h1>Page two of Ada</h1>" in second.text  # evaluated with the first page's item
            assert "This page: http://" in second.text and f"/form-waiting/{execution_id}<" in second.text
            assert 'type="radio"' in second.text and "Next</button>" in second.text
            done = await http.post(waiting, data={"field-0": "Lovely", "field-1": "5", "field-2": "Yes"})
            assert done.status_code == 200
            assert "Thanks Ada" in done.text and "You rated 5" in done.text
            again = await http.post(waiting, data={"field-0": "twice"})
            assert again.status_code == 409  # the page was submitted already
            assert "Thanks Ada" in (await http.get(waiting)).text  # the ending stays
        run = await client.get_workflow_handle_for(N8nWorkflow.run, execution_id).result()
    assert run.status is ExecutionStatus.SUCCESS
    data = run.run_data
    trigger_item = data["Form Trigger"][0]["data"]["main"][0][0]["json"]
    submitted = trigger_item.pop("submittedAt")
    assert ISO.match(submitted) and submitted.endswith(("+01:00", "+02:00"))  # v2.2: workflow zone
    assert trigger_item == {
        "Name": "Ada",
        "Age": 36,
        "Email": "ada@example.com",
        "Password": "s3cret",
        "Plan": "Pro",
        "Topics": ["AI", "Ops"],
        "Birthday": "1815-12-10",
        "source": "web",
        "formMode": "production",
    }
    page_item = data["More"][0]["data"]["main"][0][0]["json"]
    assert ISO.match(page_item.pop("submittedAt"))
    assert page_item == {"Comments": "Lovely", "Rating": "5", "Agree": ["Yes"], "formMode": "production"}


async def test_required_field_and_test_url(chat_stack: StackFactory) -> None:
    single = _two_page_form(version=2)
    single["nodes"] = single["nodes"][:1]
    single["connections"] = {}
    async with chat_stack([single]) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            missing = await http.post("/form-test/signup", data={"field-1": "3"})
            assert missing.status_code == 422 and "&#x27;Name&#x27; is required" in missing.text
            bad = await http.post("/form-test/signup", data={"field-0": "x", "field-1": "three"})
            assert bad.status_code == 422 and "must be a number" in bad.text
            test_page = await http.get("/form-test/signup")
            assert "This is a test version of your form" in test_page.text
            ok = await http.post("/form-test/signup", data={"field-0": "Ada"})
            assert ok.status_code == 200 and "Your response has been recorded" in ok.text
            assert (await http.get("/form/nope")).status_code == 404


def _upload_form() -> dict:
    trigger = node(
        "Form Trigger", "formTrigger", 2.2, 0, path="apply", formTitle="Apply",
        formFields=_fields(
            {"fieldLabel": "Name"},
            {"fieldLabel": "Your CV", "fieldType": "file", "multipleFiles": False, "requiredField": True},
            {"fieldLabel": "Extra docs", "fieldType": "file"},
        ),
    )  # fmt: skip
    trigger["webhookId"] = "form-hook-2"
    read = node("Read CV", "extractFromFile", 1, 200, operation="pdf", binaryPropertyName="Your_CV")
    message = (
        "={{ $json.text }}|{{ Object.keys($('Form Trigger').first().binary).join(',') }}"
        "|{{ $('Form Trigger').first().json['Your CV'].filename }}"
        "|{{ $('Form Trigger').first().json['Extra docs'].map(f => f.size).join(',') }}"
    )
    done = node(
        "Done", "form", 1, 400, operation="completion", completionTitle="Got it", completionMessage=message
    )
    names = ["Form Trigger", "Read CV", "Done"]
    return {
        "id": "wf-apply",
        "name": "upload form",
        "nodes": [trigger, read, done],
        "connections": {
            a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
            for a, b in zip(names, names[1:], strict=False)
        },
        "settings": {"executionOrder": "v1"},
    }


async def test_form_file_fields_go_to_the_binary_store(chat_stack: StackFactory) -> None:
    cv = pdf_bytes(["Ada Lovelace analyst"])
    async with chat_stack([_upload_form()]) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30, follow_redirects=True) as http:
            page = await http.get("/form/apply")
            assert 'enctype="multipart/form-data"' in page.text
            assert (
                'type="file" name="field-1" required' in page.text and 'name="field-2" multiple' in page.text
            )
            files = [
                ("field-1", ("cv.pdf", cv, "application/pdf")),
                ("field-2", ("a.txt", b"one", "text/plain")),
                ("field-2", ("b.txt", b"three", "text/plain")),
            ]
            done = await http.post("/form/apply", data={"field-0": "Ada"}, files=files)
            assert done.status_code == 200, done.text
            assert "Ada Lovelace analyst|Your_CV,Extra_docs_0,Extra_docs_1|cv.pdf|3,5" in done.text
            missing = await http.post(
                "/form/apply", data={"field-0": "Ada"}, files=[("field-1", ("", b"", ""))]
            )
            assert missing.status_code == 422 and "&#x27;Your CV&#x27; is required" in missing.text


def test_form_page_file_fields_and_orphan_form_pages_are_compile_errors() -> None:
    workflow = _two_page_form()
    workflow["nodes"][1]["parameters"]["formFields"]["values"].append(
        {"fieldLabel": "CV", "fieldType": "file"}
    )
    with pytest.raises(CompileError, match="file field 'CV' on a Form page is not supported"):
        compile_export(workflow)
    orphan = _two_page_form()
    orphan["nodes"][0]["disabled"] = True
    with pytest.raises(CompileError, match="Form Trigger node must be set before this node"):
        compile_export(orphan)
