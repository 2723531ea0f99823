import { escapeXml, xmlId } from './package.js';
import type { QuizItem } from './quizzes.js';

const field = (label: string, entry: string): string => `<qtimetadatafield><fieldlabel>${label}</fieldlabel><fieldentry>${entry}</fieldentry></qtimetadatafield>`;
const html = (text: string): string => `<material><mattext texttype="text/html">${escapeXml(text)}</mattext></material>`;

/** One QTI item: a multiple-choice (one right option) or multiple-response question, scored 0 or 100. */
function qtiItem(quiz: QuizItem): string[] {
  const choice = (index: number): string => String.fromCharCode(65 + index);
  const right = quiz.options.flatMap((option, index) => (option.correct ? [choice(index)] : []));
  const wrong = quiz.options.flatMap((option, index) => (option.correct ? [] : [choice(index)]));
  const condition = quiz.multiple
    ? `<and>${right.map((id) => `<varequal respident="response">${id}</varequal>`).join('')}${wrong.map((id) => `<not><varequal respident="response">${id}</varequal></not>`).join('')}</and>`
    : `<varequal respident="response">${right[0] ?? ''}</varequal>`;
  return [
    `<item ident="${xmlId('item', quiz.id)}" title="${escapeXml(quiz.label || quiz.id)}">`,
    `<itemmetadata><qtimetadata>${field('cc_profile', quiz.multiple ? 'cc.multiple_response.v0p1' : 'cc.multiple_choice.v0p1')}${field('cc_weighting', '1')}</qtimetadata></itemmetadata>`,
    '<presentation>',
    html(quiz.questionHtml),
    `<response_lid ident="response" rcardinality="${quiz.multiple ? 'Multiple' : 'Single'}">`,
    '<render_choice>',
    ...quiz.options.map((option, index) => `<response_label ident="${choice(index)}">${html(option.html)}</response_label>`),
    '</render_choice>',
    '</response_lid>',
    '</presentation>',
    '<resprocessing>',
    '<outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/></outcomes>',
    `<respcondition continue="No"><conditionvar>${condition}</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>`,
    '</resprocessing>',
    '</item>',
  ];
}

/**
 * A lesson's quizzes as one QTI 1.2 assessment in Common Cartridge's profile (cc.exam.v0p1).
 * @param ident the assessment's identifier
 * @param title what the LMS lists it as
 * @param quizzes the lesson's quizzes
 */
export function qtiAssessment(ident: string, title: string, quizzes: QuizItem[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd">',
    `<assessment ident="${ident}" title="${escapeXml(title)}">`,
    `<qtimetadata>${field('cc_profile', 'cc.exam.v0p1')}${field('qmd_assessmenttype', 'Examination')}${field('cc_maxattempts', 'unlimited')}</qtimetadata>`,
    '<section ident="root_section">',
    ...quizzes.flatMap(qtiItem),
    '</section>',
    '</assessment>',
    '</questestinterop>',
    '',
  ].join('\n');
}
