from mspt3.markdown import github_html, render_markdown


def test_renders_github_flavoured_tables_strikethrough_and_autolinks():
    html = render_markdown("| a | b |\n|---|---|\n| ~x~ | ~~y~~ |\n\nsee www.example.com")
    assert "<table>" in html
    assert "<del>x</del>" in html and "<del>y</del>" in html
    assert '<a href="http://www.example.com"' in html


def test_highlights_fenced_code_by_language_and_keeps_the_language():
    html = render_markdown("```bash\necho hello && ls\n```")
    assert '<pre class="highlight" data-lang="bash">' in html
    assert '<span class="nb">echo</span>' in html


def test_unknown_fence_language_is_kept_escaped_without_highlighting():
    html = render_markdown("```nosuchlang\n<b>x</b>\n```")
    assert 'data-lang="nosuchlang"' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_strips_script_handlers_and_javascript_urls():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1))')
    assert "<script" not in html.lower()
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<a" in html and ">a</a>" in html


def test_keeps_harmless_inline_html_as_github_does():
    assert "<br>" in render_markdown("one<br>two")


def test_image_sources_can_be_rewritten_to_stored_copies():
    html = render_markdown("![board](./img/x.png)", image_src=lambda src: "/media/notes/7" if "x.png" in src else src)
    assert '<img src="/media/notes/7" alt="board">' in html


def test_github_html_is_the_unsanitised_reference_rendering():
    assert github_html("~a~") == "<p><del>a</del></p>\n"
