import { describe, expect, it } from 'vitest';
import { campaignMessage, fill, templateIssues } from '#domain/campaigns/template.ts';

const ada = { email: 'ada@example.com', firstName: 'Ada', lastName: null, attributes: { plan: 'pro', seats: 3 } };

describe('campaign templates', () => {
  it('fills names, attributes and defaults', () => {
    expect(fill('Hi {{firstName}} {{ lastName | friend }}, {{attributes.plan}} x{{attributes.seats}} {{attributes.none|-}}', ada, false)).toBe('Hi Ada friend, pro x3 -');
  });

  it('escapes values in HTML and keeps the subject one line', () => {
    const evil = { ...ada, firstName: '<b>A\r\nBcc: x@y.z</b>' };
    expect(fill('<p>{{firstName}}</p>', evil, true)).toBe('<p>&lt;b&gt;A\r\nBcc: x@y.z&lt;/b&gt;</p>');
    const message = campaignMessage({ subject: 'Hi {{firstName}}', text: 't', html: '<p>h</p>' }, evil, 'https://crm.test/unsubscribe?token=a&b');
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).toContain('Unsubscribe: https://crm.test/unsubscribe?token=a&b');
    expect(message.html).toContain('href="https://crm.test/unsubscribe?token=a&amp;b"');
    expect(message.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('names every unknown placeholder and stray brace with the part it is in', () => {
    const issues = templateIssues({ subject: 'Hi {{fristName}}', text: 'ok {{email}}', html: '<p>{{attributes.a b}} {{</p>' });
    expect(issues.map((i) => i.path)).toEqual(['template.subject', 'template.html', 'template.html']);
    expect(issues[0]!.message).toContain('{{fristName}}');
    expect(templateIssues({ subject: 'Hi {{firstName|there}}', text: '{{attributes.plan}}' })).toEqual([]);
  });
});
