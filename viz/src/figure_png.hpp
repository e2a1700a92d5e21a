#pragma once
// Grabs an offscreen render window into an RGB PNG, atomically. Private to viz.

#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

#include <cstdlib>
#include <string>

#include "orevox/core/atomic_file.hpp"
#include "orevox/core/error.hpp"

namespace orevox::vizdetail {

/// Debian's VTK renders through GLX even offscreen: without an X display it would abort the
/// process, so fail first with an orevox error that says what to do.
inline void requireDisplay(const std::string& what) {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display)
    throw Error(what + ": no X display (DISPLAY is not set); VTK renders through X here: run under 'xvfb-run -a'");
}

inline void writeWindowPng(vtkRenderWindow* window, const std::string& path) {
  AtomicOutput out(path);
  requireDisplay("rendering " + path);
  window->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  vtkNew<vtkPNGWriter> writer;
  writer->SetFileName(out.tempPath().c_str());
  writer->SetInputConnection(grab->GetOutputPort());
  writer->Write();
  if (writer->GetErrorCode() != 0)
    throw IoError("cannot write PNG", SourceLocation{path, 0, 0, {}, {}});
  out.commit();
}

}  // namespace orevox::vizdetail
