"""The upload → preview → confirm flow every CSV import of the app follows."""

from django.shortcuts import render

from core.csv_import import ImportFileError


def upload_preview_confirm(
    request,
    *,
    upload_form,
    confirm_form,
    plan,
    apply,
    template,
    preview_template,
    done,
    context=None,
):
    """One page for a CSV import: the upload reads the file and shows what each row would do,
    writing nothing; the confirm carries the same file back signed (`confirm_form`, a
    `core.forms.SignedUploadConfirmForm`), so what is written is what was previewed.

    `plan(text)` returns the preview, `apply(text)` writes it in one transaction, and both may
    raise ImportFileError; `done(result)` answers after a successful apply. `context` is what
    else both pages show (the record the file is imported into).
    """
    extra = context or {}
    if request.method == "POST" and "token" in request.POST:
        confirming = confirm_form(request.POST, district=request.district)
        if confirming.is_valid():
            try:
                result = apply(confirming.cleaned_data["token"])
            except ImportFileError as exc:
                confirming.add_error("token", str(exc))
            else:
                return done(result)
        return render(
            request,
            template,
            {"form": upload_form(), "confirm_errors": confirming.errors["token"], **extra},
        )
    form = upload_form(request.POST, request.FILES) if request.method == "POST" else upload_form()
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            preview = plan(text)
        except ImportFileError as exc:
            form.add_error(exc.field, str(exc))
        else:
            signed = confirm_form.sign(district=request.district, text=text)
            return render(
                request,
                preview_template,
                {
                    "plan": preview,
                    "confirm_form": confirm_form(
                        initial={"token": signed}, district=request.district
                    ),
                    **extra,
                },
            )
    return render(request, template, {"form": form, **extra})
