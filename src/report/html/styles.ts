// The report's only stylesheet, inlined and allowed by its hash in the
// Content-Security-Policy. Light and dark follow the reader's system; the
// layout folds to one column on a phone; print drops the interactive bits.

export const STYLES = `
:root{color-scheme:light dark;--bg:#fbfbfc;--fg:#1d2327;--muted:#5b6470;--card:#fff;--line:#dcdfe4;
--err:#b32d2e;--err-bg:#fcf0f1;--warn:#8a5a00;--warn-bg:#fcf6e6;--ok:#136f2a;--ok-bg:#edf8ef;
--info:#2452a3;--info-bg:#eef3fc;--code:#f2f3f5;--accent:#2271b1;--stop:#b32d2e}
@media (prefers-color-scheme:dark){:root{--bg:#14171a;--fg:#e7e9ec;--muted:#9aa3ad;--card:#1d2125;--line:#343a41;
--err:#ff8a8a;--err-bg:#3a1d1f;--warn:#ffc766;--warn-bg:#352a14;--ok:#7bd88f;--ok-bg:#173022;
--info:#8fb4ff;--info-bg:#1a2538;--code:#262b31;--accent:#72aee6;--stop:#ff8a8a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header.top{padding:10px 20px;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline}
header.top h1{font-size:16px;margin:0}
header.top .meta{color:var(--muted);font-size:13px;margin:0;overflow-wrap:anywhere}
main{max-width:1100px;margin:0 auto;padding:12px 20px 40px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:17px;margin:4px 0 6px}
h4{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:10px 0 4px}
p{margin:6px 0}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
pre{background:var(--code);padding:8px 10px;border-radius:4px;margin:0;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
pre code{background:none;padding:0}
a{color:var(--accent)}
.url{overflow-wrap:anywhere;word-break:break-all}
.muted{color:var(--muted)}
table.expected,tr.expected td{color:var(--muted)}
.expected-heading{color:var(--muted)}
.verdict{margin:8px 0 12px;padding:12px 16px;border-radius:6px;border-left:6px solid var(--ok);background:var(--ok-bg)}
.verdict.problems{border-left-color:var(--err);background:var(--err-bg)}
.verdict .sentence{font-size:20px;font-weight:600;margin:0;line-height:1.35}
.verdict .counts{margin:4px 0 0;color:var(--muted);font-size:14px}
.verdict .bridge-status{margin:6px 0 0;font-size:14px}
.verdict .bridge-status.key-refused,.verdict .bridge-status.unreachable,.verdict .bridge-status.not-installed{color:var(--err)}
.card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--err);border-radius:6px;padding:10px 14px;margin:10px 0}
.card.warning{border-left-color:var(--warn)}
.card.info{border-left-color:var(--info)}
.tags{display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0;list-style:none;font-size:13px}
.tag{border:1px solid var(--line);border-radius:12px;padding:0 8px;background:var(--bg);overflow-wrap:anywhere}
.tag b{font-weight:600}
.sev-error{color:var(--err);border-color:var(--err)}
.sev-warning{color:var(--warn);border-color:var(--warn)}
.sev-info{color:var(--info);border-color:var(--info)}
.fixes{margin:4px 0 0;padding-left:20px}
.fixes li{margin:4px 0}
.fix-code{position:relative;margin:4px 0}
.fix-code pre{padding-right:64px}
.copy{position:absolute;top:4px;right:4px;font:12px system-ui,sans-serif;padding:2px 8px;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg);cursor:pointer}
.copy:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
details>summary{cursor:pointer}
.evidence{font-size:14px;margin-top:6px}
.evidence ul{margin:4px 0;padding-left:20px}
.layers{display:grid;grid-template-columns:repeat(6,1fr);gap:8px;list-style:none;padding:0;margin:8px 0;counter-reset:layer}
.layer{position:relative;border:1px solid var(--line);border-radius:6px;background:var(--card);padding:8px;min-height:92px}
.layer:not(:last-child)::after{content:"\\2192";position:absolute;right:-8px;top:34px;color:var(--muted);font-size:14px;line-height:1;transform:translateX(50%)}
.layer .name{font-weight:600}
.layer .what{font-size:12px;color:var(--muted);margin:2px 0}
.layer .stops{font-size:13px;margin:4px 0 0}
.layer.stopped{border:2px solid var(--stop);background:var(--err-bg)}
.layer.stopped .stops{color:var(--stop);font-weight:600}
.layer.finding{border-style:dashed}
.passed{font-size:14px;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}
th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);font-size:13px}
.table-wrap{overflow-x:auto}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
meter{width:80px;vertical-align:middle}
td.timeline{width:45%}td.timeline svg{width:100%;height:10px;display:block}td.timeline rect{fill:#2563eb}
.status{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;padding:0 4px;font-weight:600;font-variant-numeric:tabular-nums}
.s-ok{background:var(--ok-bg);color:var(--ok)}
.s-redirect{background:var(--info-bg);color:var(--info)}
.s-auth,.s-fail{background:var(--err-bg);color:var(--err)}
.s-other{background:var(--warn-bg);color:var(--warn)}
.filter{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0 10px}
.filter input,.filter select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:4px;background:var(--card);color:var(--fg)}
.filter input{flex:1 1 220px;min-width:0}
.probe{border-bottom:1px solid var(--line);content-visibility:auto;contain-intrinsic-size:auto 34px}
.probe>summary{display:flex;gap:8px;align-items:baseline;padding:5px 0;list-style-position:outside}
.probe>summary::before{content:"\\25B8";color:var(--muted)}
.probe[open]>summary::before{content:"\\25BE"}
.probe>summary .url{flex:1;min-width:0}
.probe .meta{color:var(--muted);font-size:13px;white-space:nowrap}
.probe .detail{padding:4px 0 10px 18px;font-size:14px}
dl.headers{display:grid;grid-template-columns:minmax(120px,max-content) 1fr;gap:0 12px;margin:2px 0;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
dl.headers dt{color:var(--muted)}
dl.headers dd{margin:0;overflow-wrap:anywhere;word-break:break-all}
.shots{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.shots figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px;background:var(--card)}
.shots img{max-width:100%;height:auto;display:block}
.shots figcaption{font-size:13px;margin-top:4px}
.tree{font-size:14px}
.tree dl{display:grid;grid-template-columns:minmax(120px,max-content) 1fr;gap:2px 12px;margin:2px 0 2px 8px}
.tree dt{color:var(--muted)}
.tree dd{margin:0;overflow-wrap:anywhere}
.tree ol{margin:0;padding-left:20px}
footer{color:var(--muted);font-size:13px;max-width:1100px;margin:0 auto;padding:0 20px 20px}
@media (max-width:760px){
body{font-size:14px}
main{padding:8px 12px 32px}
header.top{padding:8px 12px}
.verdict{padding:10px 12px}
.verdict .sentence{font-size:18px}
.layers{grid-template-columns:1fr 1fr}
.layer{min-height:0}
.layer::after{display:none}
.probe>summary{flex-wrap:wrap}
.probe .meta{white-space:normal}
dl.headers,.tree dl{grid-template-columns:1fr}
dl.headers dd{padding-left:12px}
}
@media print{
:root{--bg:#fff;--fg:#000;--card:#fff;--code:#f4f4f4}
body{font-size:11pt}
.copy,.filter,.js-only{display:none!important}
a{color:inherit;text-decoration:none}
.card,.layer,figure,tr{break-inside:avoid}
h2{break-after:avoid}
.probe[hidden]{display:block!important}
.probe{content-visibility:visible}
}
`;
