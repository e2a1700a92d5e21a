#pragma once
// Grabs an offscreen render window into an RGB PNG, atomically. Private to viz.

#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <cstdlib>
#include <string>
#include <string_view>

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

/// Runs `writer` (its input set) into memory and writes the PNG bytes through AtomicOutput:
/// a full disk or an unwritable folder is then orevox's one-line IoError naming `path` with
/// the system's reason, never libpng's or VTK's log lines on stderr.
inline void writePngFile(vtkPNGWriter* writer, const std::string& path) {
  AtomicOutput out(path);
  writer->WriteToMemoryOn();
  writer->Write();
  vtkUnsignedCharArray* bytes = writer->GetResult();
  if (writer->GetErrorCode() != 0 || bytes == nullptr || bytes->GetNumberOfValues() == 0)
    throw IoError("cannot encode PNG", SourceLocation{path, 0, 0, {}, {}});
  out.write(std::string_view(reinterpret_cast<const char*>(bytes->GetPointer(0)),
                             std::size_t(bytes->GetNumberOfValues())));
  out.commit();
}

inline void writeWindowPng(vtkRenderWindow* window, const std::string& path) {
  checkOutputPath(path);
  requireDisplay("rendering " + path);
  window->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  vtkNew<vtkPNGWriter> writer;
  writer->SetInputConnection(grab->GetOutputPort());
  writePngFile(writer, path);
}

}  // namespace orevox::vizdetail
