"""Files kept in the storage (reports, evidence, meeting materials), handed only to a view that
checked who asks; and the one check an attachment a member uploads goes through."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext

ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def check_attachment(upload):
    """The file's type by its name, checked against what its first bytes say it is; a refusal
    names the form's `file` field."""
    name = upload.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {"file": gettext("Attach a PDF, an image (PNG, JPEG) or an Office document.")}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": gettext("Files up to 10 MB can be attached.")})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[extension]):
        raise ValidationError(
            {
                "file": gettext("This file is not the %(kind)s its name says.")
                % {"kind": extension[1:].upper()}
            }
        )
    return extension


def store_attachment(file_field, *, folder, upload):
    """Saves a checked upload privately under an unguessable name in `folder` of the model's
    `file_field`; returns (stored name, the name it was given)."""
    extension = check_attachment(upload)
    name = file_field.generate_filename(None, f"{folder}/{uuid.uuid4().hex}{extension}")
    return file_field.storage.save(name, upload), upload.name[:200]


def delete_after_commit(file_field, name):
    """Deletes a stored file once the transaction that let go of it has committed."""
    if name:
        storage = file_field.storage
        transaction.on_commit(lambda: storage.delete(name))


def stored_file_response(name, *, filename, content_type=None):
    """The stored file as a download; a record whose file has gone from the storage (a restored
    database, a bucket emptied by hand) answers not found rather than failing mid-download."""
    if not default_storage.exists(name):
        raise Http404("The file is no longer in the storage.")
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
